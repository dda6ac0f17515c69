/**
 * The OpenAPI metadata Better Auth's endpoints carry is hand-written, and a few plugins' has what
 * OpenAPI 3.1 does not allow: a media type with `required` beside its `schema` (the anonymous
 * plugin's), responses without a description, path parameters not marked required.
 * This puts each where the specification wants it, so a strict validator accepts the document.
 */
import type { JsonSchema, OpenApiPaths, Operation } from "./openapi.ts";

const MEDIA_TYPE_KEYS = new Set(["schema", "example", "examples", "encoding"]);
const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

export function validOpenApiPaths(paths: OpenApiPaths): OpenApiPaths {
  const out: OpenApiPaths = {};
  for (const [path, item] of Object.entries(paths)) {
    out[path] = {};
    for (const [method, operation] of Object.entries(item)) {
      if (METHODS.has(method)) out[path][method] = validOperation(operation, path);
    }
  }
  return out;
}

function validOperation(operation: Operation, path: string): Operation {
  const fixed: Operation = { ...operation };
  // An empty description is allowed, an `undefined` one does not survive JSON anyway; drop both.
  if (!fixed.description) delete fixed.description;
  if (!fixed.operationId) delete fixed.operationId;
  if (isObject(fixed.requestBody)) fixed.requestBody = withValidContent(fixed.requestBody);
  if (isObject(fixed.responses)) {
    fixed.responses = Object.fromEntries(
      Object.entries(fixed.responses).map(([status, response]) => [status, validResponse(response)]),
    );
  }
  if (Array.isArray(fixed.parameters)) fixed.parameters = validParameters(fixed.parameters, path);
  return fixed;
}

function validResponse(response: unknown): unknown {
  if (!isObject(response)) return { description: "Response" };
  return { ...withValidContent(response), description: response.description ?? "Response" };
}

/** A path parameter must be required and named in the path; a query one needs no more. */
function validParameters(parameters: unknown[], path: string): unknown[] {
  return parameters.filter(isObject).flatMap((parameter) => {
    if (parameter.in !== "path") return [parameter];
    return path.includes(`{${String(parameter.name)}}`) ? [{ ...parameter, required: true }] : [];
  });
}

function withValidContent<T extends Record<string, unknown>>(holder: T): T {
  if (!isObject(holder.content)) return holder;
  const content: Record<string, unknown> = {};
  for (const [type, media] of Object.entries(holder.content)) {
    if (!isObject(media)) continue;
    const schema: JsonSchema | undefined = isObject(media.schema) ? { ...media.schema } : undefined;
    // A `required` list written beside the schema belongs in it.
    if (schema && Array.isArray(media.required) && schema.required === undefined) {
      schema.required = media.required;
    }
    content[type] = Object.fromEntries(
      Object.entries({ ...media, ...(schema ? { schema } : {}) }).filter(([key]) => MEDIA_TYPE_KEYS.has(key)),
    );
  }
  return { ...holder, content };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
