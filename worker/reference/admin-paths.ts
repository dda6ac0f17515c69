/** The admin API under /api/v1/admin (worker/api/admin/), documented when the admin plugin is on. */
import { errorResponse, type JsonSchema, jsonBody, jsonResponse, type OpenApiPaths } from "./openapi.ts";

const TAG = "authform admin";
const nullableString = { type: ["string", "null"] };

/** worker/api/admin/public-user.ts: the profile and the admin plugin's fields. */
const USER: JsonSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    email: { type: "string" },
    name: { type: "string" },
    emailVerified: { type: "boolean" },
    image: nullableString,
    role: nullableString,
    banned: { type: "boolean" },
    banReason: nullableString,
    banExpires: nullableString,
    isAnonymous: { type: "boolean" },
    createdAt: { type: "string" },
    updatedAt: { type: "string" },
  },
  required: ["id", "email", "name", "emailVerified", "role", "banned", "createdAt", "updatedAt"],
};
const ONE_USER = jsonResponse("The user, as it is now.", {
  type: "object",
  properties: { user: USER },
  required: ["user"],
});
const SUCCESS = jsonResponse("Done.", {
  type: "object",
  properties: { success: { const: true } },
  required: ["success"],
});
const REFUSED = {
  "401": errorResponse("No credential, or a bad one."),
  "403": errorResponse(
    "`not_an_admin` (not a verified address in admin.userEmails, or banned), or `insufficient_scope` (an API key without the admin scope this needs).",
  ),
  "404": errorResponse("No such user."),
};
const USER_ID = [{ name: "id", in: "path", required: true, schema: { type: "string" } }];

/** Reads take an admin key's `read` scope, changes its `write` scope; a session or fast-path token of an admin takes both. */
export function adminPaths(security: Record<string, string[]>[], apiKeys: boolean): OpenApiPaths {
  const write = (operationId: string, description: string, extra: object = {}) => ({
    tags: [TAG],
    operationId,
    description: `${description} Needs \`write\`.`,
    security,
    parameters: USER_ID,
    responses: { "200": ONE_USER, "400": errorResponse("A bad body."), ...REFUSED },
    ...extra,
  });
  const paths: OpenApiPaths = {
    "/api/v1/admin/users": {
      get: {
        tags: [TAG],
        operationId: "adminListUsers",
        description: "Users, newest first; `search` matches part of the address or the name. Needs `read`.",
        security,
        parameters: [
          { name: "search", in: "query", schema: { type: "string" } },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
          { name: "offset", in: "query", schema: { type: "integer", minimum: 0, default: 0 } },
        ],
        responses: {
          "200": jsonResponse("A page of users.", {
            type: "object",
            properties: {
              users: { type: "array", items: USER },
              total: { type: "integer" },
              limit: { type: "integer" },
              offset: { type: "integer" },
              nextOffset: { type: ["integer", "null"] },
            },
            required: ["users", "total", "limit", "offset", "nextOffset"],
          }),
          ...REFUSED,
        },
      },
    },
    "/api/v1/admin/users/{id}": {
      get: {
        tags: [TAG],
        operationId: "adminGetUser",
        description: "One user. Needs `read`.",
        security,
        parameters: USER_ID,
        responses: { "200": ONE_USER, ...REFUSED },
      },
      delete: {
        tags: [TAG],
        operationId: "adminDeleteUser",
        description: "Deletes the user, their sessions and API keys. Needs `write`; never yourself.",
        security,
        parameters: USER_ID,
        responses: { "200": SUCCESS, "400": errorResponse("`cannot_delete_yourself`."), ...REFUSED },
      },
    },
    "/api/v1/admin/users/{id}/ban": {
      post: write("adminBanUser", "Bans the user and ends their sessions; their API keys stop.", {
        requestBody: jsonBody(
          {
            type: "object",
            properties: {
              reason: { type: "string", maxLength: 200 },
              expiresInSeconds: { type: "integer", minimum: 1 },
            },
          },
          false,
        ),
      }),
    },
    "/api/v1/admin/users/{id}/unban": { post: write("adminUnbanUser", "Lifts a ban.") },
    "/api/v1/admin/users/{id}/role": {
      post: write("adminSetRole", "Sets a role the config declares (never the admin role: the config's).", {
        requestBody: jsonBody({
          type: "object",
          properties: {
            role: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
          },
          required: ["role"],
        }),
      }),
    },
    "/api/v1/admin/users/{id}/revoke-sessions": {
      post: {
        ...write("adminRevokeSessions", "Ends every session of the user."),
        responses: { "200": SUCCESS, ...REFUSED },
      },
    },
  };
  if (!apiKeys) return paths;
  paths["/api/v1/admin/api-keys"] = {
    post: {
      tags: [TAG],
      operationId: "adminCreateApiKey",
      description: "Mints an API key with the admin scope for the signed-in admin (from a session only).",
      security: [{ sessionCookie: [] }],
      requestBody: jsonBody({
        type: "object",
        properties: {
          access: { type: "string", enum: ["read", "write"] },
          name: { type: "string", maxLength: 64 },
          expiresInSeconds: { type: "integer", minimum: 86400 },
        },
        required: ["access"],
      }),
      responses: {
        "200": jsonResponse("The key; its secret is shown this once.", {
          type: "object",
          properties: {
            id: { type: "string" },
            key: { type: "string" },
            name: nullableString,
            expiresAt: nullableString,
            access: { type: "string", enum: ["read", "write"] },
          },
          required: ["id", "key", "access"],
        }),
        "400": errorResponse("A bad body."),
        ...REFUSED,
      },
    },
  };
  return paths;
}
