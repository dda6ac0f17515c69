/**
 * Better Auth's endpoints as OpenAPI paths, read from the isolate's instance the way Better Auth's
 * own `openAPI` plugin's generator does (endpoint metadata, zod bodies and queries, the tables as
 * schemas), without that plugin: its routes (and CDN-scripted page) stay unserved, and its
 * generator's zod and logo imports stay out of the bundle. It lists exactly the endpoints of the
 * plugins this stack runs.
 */
import type { Auth } from "../auth/create-auth.ts";
import type { RuntimeManifest } from "../spec.ts";
import { type JsonSchema, jsonResponse, type OpenApiPaths, type Operation } from "./openapi.ts";
import { isOptionalInput, isZodSchema, zodJsonSchema } from "./zod-json-schema.ts";

interface EndpointOptions {
  method?: string | string[];
  body?: unknown;
  query?: unknown;
  metadata?: {
    SERVER_ONLY?: boolean;
    openapi?: {
      operationId?: string;
      description?: string;
      tags?: string[];
      parameters?: Record<string, unknown>[];
      requestBody?: Record<string, unknown>;
      responses?: Record<string, unknown>;
    };
  };
}
interface Endpoint {
  path?: string;
  options?: EndpointOptions;
}
interface Field {
  type: unknown;
  required?: boolean;
  returned?: boolean;
  input?: boolean;
  defaultValue?: unknown;
}

const CORE_TAG = "Better Auth";
const BETTER_AUTH_ERROR: JsonSchema = {
  type: "object",
  properties: { code: { type: "string" }, message: { type: "string" } },
};
const ERRORS = {
  "400": jsonResponse("Bad request: missing or invalid parameters.", BETTER_AUTH_ERROR),
  "401": jsonResponse("Not signed in, or a bad credential.", BETTER_AUTH_ERROR),
  "403": jsonResponse("Not allowed.", BETTER_AUTH_ERROR),
  "429": jsonResponse("Too many requests: wait for Retry-After seconds.", BETTER_AUTH_ERROR),
};

export interface BetterAuthReference {
  paths: OpenApiPaths;
  /** The tables as schemas (User, Session, ...), which the endpoints' responses refer to. */
  schemas: Record<string, JsonSchema>;
}

export async function betterAuthPaths(auth: Auth, manifest: RuntimeManifest): Promise<BetterAuthReference> {
  const context = await auth.$context;
  // Which plugin each path comes from, for its tag.
  const tags = new Map<string, string>();
  for (const plugin of context.options.plugins ?? []) {
    for (const endpoint of Object.values((plugin.endpoints ?? {}) as Record<string, Endpoint>)) {
      if (endpoint.path) tags.set(endpoint.path, plugin.id);
    }
  }
  const refused = refusedPaths(manifest);
  const paths: OpenApiPaths = {};
  const operationIds = new Set<string>();
  for (const [name, endpoint] of Object.entries(auth.api as Record<string, Endpoint>)) {
    const { path, options } = endpoint;
    if (!path || !options || options.metadata?.SERVER_ONLY || refused.has(path)) continue;
    const served = `${manifest.basePath}${path.replace(/:(\w+)/g, "{$1}")}`;
    const methods = Array.isArray(options.method) ? options.method : [options.method ?? "GET"];
    for (const method of methods) {
      // The endpoint's own id, else its name in auth.api (what Better Auth's client calls it); once each.
      let operationId = options.metadata?.openapi?.operationId ?? name;
      if (operationIds.has(operationId)) operationId += method.charAt(0) + method.slice(1).toLowerCase();
      operationIds.add(operationId);
      paths[served] = {
        ...paths[served],
        [method.toLowerCase()]: { ...operation(path, options, tags.get(path)), operationId },
      };
    }
  }
  return {
    paths,
    schemas: tableSchemas(context.tables as Record<string, { fields: Record<string, Field> }>),
  };
}

function operation(path: string, options: EndpointOptions, plugin: string | undefined): Operation {
  const openapi = options.metadata?.openapi ?? {};
  const methods = Array.isArray(options.method) ? options.method : [options.method];
  const sendsBody = methods.some((m) => m === "POST" || m === "PUT" || m === "PATCH");
  const requestBody =
    openapi.requestBody ??
    (sendsBody && isZodSchema(options.body)
      ? {
          required: !isOptionalInput(options.body),
          content: { "application/json": { schema: zodJsonSchema(options.body) } },
        }
      : undefined);
  return {
    tags: openapi.tags ?? [plugin ?? CORE_TAG],
    ...(openapi.description ? { description: openapi.description } : {}),
    parameters: [...(openapi.parameters ?? queryParameters(options.query)), ...pathParameters(path)],
    ...(requestBody && sendsBody ? { requestBody: structuredClone(requestBody) } : {}),
    responses: structuredClone({ ...ERRORS, ...openapi.responses }),
  };
}

function queryParameters(query: unknown): Record<string, unknown>[] {
  const object = zodJsonSchema(query);
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: "query",
    ...(required.has(name) ? { required: true } : {}),
    schema,
  }));
}

function pathParameters(path: string): Record<string, unknown>[] {
  return [...path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
}

/** Each table as an object schema; a field that is not required may be null in a response. */
function tableSchemas(tables: Record<string, { fields: Record<string, Field> }>): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {};
  for (const [key, table] of Object.entries(tables)) {
    const properties: Record<string, JsonSchema> = { id: { type: "string", readOnly: true } };
    const required = ["id"];
    for (const [name, field] of Object.entries(table.fields)) {
      if (field.returned === false) continue;
      const schema = fieldSchema(field.type);
      properties[name] = field.required ? schema : withNull(schema);
      if (field.required) required.push(name);
    }
    schemas[key.charAt(0).toUpperCase() + key.slice(1)] = { type: "object", properties, required };
  }
  return schemas;
}

function fieldSchema(type: unknown): JsonSchema {
  if (Array.isArray(type)) return { type: "string", enum: type };
  if (type === "date") return { type: "string", format: "date-time" };
  if (type === "string[]") return { type: "array", items: { type: "string" } };
  if (type === "number[]") return { type: "array", items: { type: "number" } };
  if (type === "json") return {};
  return { type: String(type) };
}

function withNull(schema: JsonSchema): JsonSchema {
  return typeof schema.type === "string" ? { ...schema, type: [schema.type, "null"] } : schema;
}

/** Endpoints Better Auth keeps routing but this stack switched off (they only answer an error). */
function refusedPaths(manifest: RuntimeManifest): Set<string> {
  const { enabled, allowSignUp } = manifest.emailAndPassword;
  const refused = new Set<string>();
  if (!enabled) refused.add("/sign-in/email");
  if (!enabled || !allowSignUp) refused.add("/sign-up/email");
  return refused;
}
