/** The few OpenAPI 3.1 shapes the reference builds, and helpers that write them the same way everywhere. */

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
export type JsonSchema = Record<string, unknown>;
/** An operation object (method entry of a path item). */
export type Operation = Record<string, unknown>;
/** Served path → method (lower case) → operation. */
export type OpenApiPaths = Record<string, Record<string, Operation>>;

/** A JSON response with its schema. */
export function jsonResponse(description: string, schema: JsonSchema) {
  return { description, content: { "application/json": { schema } } };
}

/** authform's own error body (worker/middleware/errors.ts): a machine code and a sentence. */
export const AUTHFORM_ERROR: JsonSchema = {
  type: "object",
  properties: { error: { type: "string" }, message: { type: "string" } },
  required: ["error", "message"],
};

export function errorResponse(description: string) {
  return jsonResponse(description, AUTHFORM_ERROR);
}

/** A JSON request body. */
export function jsonBody(schema: JsonSchema, required = true) {
  return { required, content: { "application/json": { schema } } };
}
