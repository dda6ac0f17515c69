/** The seed's passkey paths (./routes.ts) in the OpenAPI reference, each pointing at the Better Auth endpoint it forwards to. */
import type { OpenApiPaths, Operation } from "../../../reference/openapi.ts";

/** Seed path → the Better Auth path and method whose answer it returns, and what the seed's request carries. */
const ALIASES = {
  "/passkey/register/options": {
    target: ["/passkey/generate-register-options", "get"],
    body: "Optional `{ authenticatorAttachment?, name? }` (Better Auth takes them in the query).",
  },
  "/passkey/authenticate/options": {
    target: ["/passkey/generate-authenticate-options", "get"],
    body: "None.",
  },
  "/passkey/register/verify": {
    target: ["/passkey/verify-registration", "post"],
    body: "The registration credential itself (optionally with `name`), not `{ response }`.",
  },
  "/passkey/authenticate/verify": {
    target: ["/passkey/verify-authentication", "post"],
    body: "The authentication credential itself, not `{ response }`.",
  },
} as const;

const CREDENTIAL = {
  type: "object",
  properties: {
    id: { type: "string" },
    rawId: { type: "string" },
    type: { const: "public-key" },
    response: { type: "object" },
  },
  required: ["id", "rawId", "type", "response"],
};

export function passkeyReference({
  basePath,
  paths,
}: {
  basePath: string;
  paths: OpenApiPaths;
}): OpenApiPaths {
  const documented: OpenApiPaths = {};
  for (const [alias, { target, body }] of Object.entries(ALIASES)) {
    const [path, method] = target;
    const forwarded: Operation = paths[`${basePath}${path}`]?.[method] ?? { responses: {} };
    documented[`${basePath}${alias}`] = {
      post: {
        tags: ["passkey"],
        operationId: `seed${alias.replace(/\/(\w)/g, (_, c: string) => c.toUpperCase()).replace(/\W/g, "")}`,
        description: `The seed's path for ${method.toUpperCase()} ${basePath}${path}. Body: ${body}`,
        ...(alias.endsWith("/verify")
          ? { requestBody: { required: true, content: { "application/json": { schema: CREDENTIAL } } } }
          : {}),
        responses: forwarded.responses ?? {},
      },
    };
  }
  return documented;
}
