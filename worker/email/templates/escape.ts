/** Making values safe for an email: HTML-escaped for the HTML part, single-line for headers, http(s) only for links. */

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** One line of text: a value that goes into a subject or a name can never start another header line. */
export function singleLine(value: string): string {
  return value
    .replace(/\p{Cc}+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Plain text keeps its line breaks but loses every other control character (no terminal escapes). */
export function plainText(value: string): string {
  return value.replace(/[^\P{Cc}\n]/gu, "");
}

/** The URL when it is an absolute http(s) URL; anything else (javascript:, data:) is no link. */
export function httpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}
