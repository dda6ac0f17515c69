/** Reading URLs and vars that may be unset or malformed: one copy for the plan, the config and the Worker. */

/** A URL's origin; undefined when it is unset, not a URL, or has no origin (`null`, e.g. `data:`). */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { origin } = new URL(url);
    return origin === "null" ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** A URL's hostname; undefined when it is unset, not a URL, or has none. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** A var's value, or undefined when it is unset or only whitespace. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
