/**
 * JSON Schema (2020-12) for the zod schemas Better Auth's endpoints declare, read from zod's own
 * definitions (`_zod.def`) without importing zod: Better Auth's generator imports all of zod (its
 * locales included), which tripled what the reference cost a minimal bundle.
 */
import type { JsonSchema } from "./openapi.ts";

interface ZodLike {
  _zod: { def: Record<string, unknown> & { type: string }; optin?: string };
  description?: string;
  minLength?: number | null;
  maxLength?: number | null;
}

export function isZodSchema(value: unknown): value is ZodLike {
  return typeof value === "object" && value !== null && "_zod" in value;
}

/** Whether an object property may be left out (zod's own rule for its JSON Schema `required`). */
export function isOptionalInput(schema: ZodLike): boolean {
  const { def } = schema._zod;
  if (
    def.type === "pipe" &&
    isZodSchema(def.in) &&
    def.in._zod.def.type === "transform" &&
    isZodSchema(def.out)
  )
    return isOptionalInput(def.out);
  if (def.type === "catch" && isZodSchema(def.innerType)) return isOptionalInput(def.innerType);
  return schema._zod.optin === "optional";
}

export function zodJsonSchema(schema: unknown): JsonSchema {
  if (!isZodSchema(schema)) return {};
  const json = convert(schema);
  return schema.description ? { ...json, description: schema.description } : json;
}

function convert(schema: ZodLike): JsonSchema {
  const def = schema._zod.def;
  switch (def.type) {
    case "optional":
    case "default":
    case "prefault":
    case "nonoptional":
    case "catch":
    case "readonly":
      return zodJsonSchema(def.innerType);
    case "nullable":
      return withNull(zodJsonSchema(def.innerType));
    case "pipe":
      // A transform's input is what the client sends.
      return zodJsonSchema(isZodSchema(def.in) && def.in._zod.def.type === "transform" ? def.out : def.in);
    case "object": {
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [key, value] of Object.entries((def.shape ?? {}) as Record<string, unknown>)) {
        if (!isZodSchema(value)) continue;
        properties[key] = zodJsonSchema(value);
        if (!isOptionalInput(value)) required.push(key);
      }
      return { type: "object", properties, ...(required.length > 0 ? { required } : {}) };
    }
    case "record":
      return { type: "object", additionalProperties: zodJsonSchema(def.valueType) };
    case "array":
      return { type: "array", items: zodJsonSchema(def.element) };
    case "union": {
      const options = (def.options as unknown[]).filter(
        (option) => !isZodSchema(option) || !["undefined", "void"].includes(option._zod.def.type),
      );
      return options.length === 1 ? zodJsonSchema(options[0]) : { anyOf: options.map(zodJsonSchema) };
    }
    case "intersection":
      return { allOf: [zodJsonSchema(def.left), zodJsonSchema(def.right)] };
    case "literal":
      return { enum: def.values as unknown[] };
    case "enum":
      return { type: "string", enum: Object.values(def.entries as Record<string, unknown>) };
    case "string":
      return {
        type: "string",
        ...(typeof schema.minLength === "number" ? { minLength: schema.minLength } : {}),
        ...(typeof schema.maxLength === "number" ? { maxLength: schema.maxLength } : {}),
      };
    case "number":
      return { type: "number" };
    case "int":
      return { type: "integer" };
    case "boolean":
      return { type: "boolean" };
    case "date":
      return { type: "string", format: "date-time" };
    case "null":
      return { type: "null" };
    default:
      // any, unknown, custom, undefined, void: anything JSON.
      return {};
  }
}

function withNull(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === "string") return { ...schema, type: [schema.type, "null"] };
  if (Array.isArray(schema.type)) return { ...schema, type: [...new Set([...schema.type, "null"])] };
  return { anyOf: [schema, { type: "null" }] };
}
