/** The admin plugin's settings: the config's options (src/config/plugin-options/admin.ts) as the Worker uses them. */

export interface AdminSettings {
  /** The admins' addresses, lowercased as Better Auth stores emails. */
  userEmails: ReadonlySet<string>;
  /** Roles admins may give users besides "user"; they grant nothing in the admin plugin. */
  roles: readonly string[];
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

export function adminSettings(options: Record<string, unknown>): AdminSettings {
  return {
    userEmails: new Set(strings(options.userEmails).map((email) => email.trim().toLowerCase())),
    roles: strings(options.roles),
  };
}
