/** How config values are shown back to a person in error messages: short, quoted, never a wall of JSON. */

const MAX_PREVIEW = 40;

function truncate(text: string): string {
  return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW - 1)}…` : text;
}

/** A value as the message shows it after "got": strings quoted, others as JSON, long ones cut. */
export function preview(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(truncate(value));
  if (typeof value === "function") return "a function";
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  try {
    return truncate(JSON.stringify(value) ?? String(value));
  } catch {
    // Circular or otherwise unserialisable: say what kind of thing it is.
    return Array.isArray(value) ? "an array" : "an object";
  }
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function oneOf(values: readonly unknown[]): string {
  const shown = values.map((v) => (typeof v === "string" ? JSON.stringify(v) : String(v)));
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} or ${shown.at(-1)}`;
}
