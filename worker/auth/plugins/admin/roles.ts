/** Role names as Better Auth's admin plugin stores them: one string, several roles joined by commas. */

export const ADMIN_ROLE = "admin";
export const DEFAULT_ROLE = "user";

/** The roles in a stored or requested value (a string, comma-joined, or a list). */
export function rolesIn(value: unknown): string[] {
  const parts = Array.isArray(value) ? value : [value];
  return parts
    .filter((part): part is string => typeof part === "string")
    .flatMap((part) => part.split(","))
    .map((role) => role.trim());
}

export function includesAdmin(value: unknown): boolean {
  return rolesIn(value).includes(ADMIN_ROLE);
}
