/** Turns a SES error response into one line for a person: status, SES error code, SES message, never a credential. */

const MAX_MESSAGE = 300;

/**
 * SES v2 (REST-JSON) names the error in `x-amzn-ErrorType` (`NotFoundException:http://...`) and
 * in the body as `__type` / `code`; the text is `message` (or `Message`).
 */
export async function describeSesError(response: Response, secrets: string[]): Promise<string> {
  const text = await response.text().catch(() => "");
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): the status alone says what happened.
  }
  const code =
    response.headers.get("x-amzn-errortype")?.split(":")[0] ||
    stringField(body, "__type")?.split("#").pop() ||
    stringField(body, "code") ||
    stringField(body, "type");
  const message = stringField(body, "message") ?? stringField(body, "Message");
  const head = `SES refused the email (HTTP ${response.status}${code ? ` ${code}` : ""})`;
  return redact(message ? `${head}: ${truncate(message)}` : `${head}.`, secrets);
}

function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** SES echoes request details in some errors; a credential must never reach a log or a client. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out;
}
