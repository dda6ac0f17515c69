/** A JSON object request body, or 400: admin requests are small objects, never arrays or text. */
import type { Context } from "hono";
import { CodedHttpError } from "../../middleware/errors.ts";

export async function readJson(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CodedHttpError(400, "invalid_json", "The request body is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new CodedHttpError(400, "invalid_json", "The request body must be a JSON object.");
  return value as Record<string, unknown>;
}
