/** The From / Reply-To value SES sends: the address, with a display name quoted (ASCII) or RFC 2047-encoded. */

/** An encoded word may be 75 characters: `=?UTF-8?B?` + 60 base64 characters (45 bytes) + `?=`. */
const WORD_BYTES = 45;
const encoder = new TextEncoder();

/**
 * `"Your App | Account" <noreply@example.com>`, or `=?UTF-8?B?...?= <noreply@example.com>` when the
 * name is not plain ASCII (SES requires MIME encoded-words there). Control characters in the name
 * are dropped, so a name can never add a header line.
 */
export function formatAddress(address: string, displayName?: string): string {
  if (/[\r\n]/.test(address)) throw new TypeError("an email address cannot contain line breaks");
  const name = (displayName ?? "").replace(/\p{Cc}/gu, "").trim();
  if (name === "") return address;
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/[\\"]/g, "\\$&")}" <${address}>`;
  return `${encodedWords(name).join(" ")} <${address}>`;
}

/** Base64 encoded-words, split between characters so no word cuts a UTF-8 sequence. */
function encodedWords(text: string): string[] {
  const words: string[] = [];
  let chunk: number[] = [];
  for (const char of text) {
    const bytes = encoder.encode(char);
    if (chunk.length + bytes.length > WORD_BYTES) {
      words.push(encodedWord(chunk));
      chunk = [];
    }
    chunk.push(...bytes);
  }
  if (chunk.length > 0) words.push(encodedWord(chunk));
  return words;
}

function encodedWord(bytes: number[]): string {
  return `=?UTF-8?B?${btoa(String.fromCharCode(...bytes))}?=`;
}
