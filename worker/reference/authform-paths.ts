/** authform's own endpoints outside Better Auth (/api/v1, the root, this reference), as the Worker serves them. */
import {
  AUTHFORM_ERROR,
  errorResponse,
  type JsonSchema,
  jsonResponse,
  type OpenApiPaths,
} from "./openapi.ts";

const TAG = "authform";
const nullableString = { type: ["string", "null"] };

/** worker/api/context.ts's ApiAuth: who called, however they authenticated. */
const API_AUTH: JsonSchema = {
  type: "object",
  properties: {
    userId: { type: "string" },
    orgId: nullableString,
    roles: { type: "array", items: { type: "string" } },
    authMethod: { type: "string", enum: ["jwt", "session", "api-key"] },
    email: nullableString,
    name: nullableString,
    isAnonymous: { type: "boolean" },
  },
  required: ["userId", "orgId", "roles", "authMethod", "email", "name", "isAnonymous"],
};

const READINESS: JsonSchema = {
  type: "object",
  properties: { ready: { type: "boolean" }, missing: { type: "array", items: { type: "string" } } },
  required: ["ready", "missing"],
};

const SYSTEM_STATUS: JsonSchema = {
  type: "object",
  properties: {
    app: { type: "string" },
    stage: { type: "string" },
    mode: { type: "string", enum: ["local", "deploy"] },
    authBasePath: { type: "string" },
    emailAndPassword: { type: "boolean" },
    plugins: { type: "array", items: { type: "string" } },
    emailTransport: { type: "string", enum: ["cloudflare", "aws-ses", "local-outbox"] },
    storage: {
      type: "object",
      properties: { sessions: { type: "string" }, rateLimit: { type: "string" } },
      required: ["sessions", "rateLimit"],
    },
    audit: {
      type: "object",
      properties: { writeFailures: { type: "integer", minimum: 0 } },
      required: ["writeFailures"],
    },
    webhooks: {
      type: "object",
      description: "Present when the config has webhook endpoints.",
      properties: {
        endpoints: { type: "integer", minimum: 1 },
        enqueueFailures: { type: "integer", minimum: 0 },
      },
      required: ["endpoints", "enqueueFailures"],
    },
    ready: { type: "boolean" },
    readiness: { type: "object", additionalProperties: READINESS },
  },
  required: [
    "app",
    "stage",
    "mode",
    "authBasePath",
    "emailAndPassword",
    "plugins",
    "emailTransport",
    "storage",
    "audit",
    "ready",
    "readiness",
  ],
};

const AUDIT_PAGE: JsonSchema = {
  type: "object",
  properties: {
    events: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string" },
          at: { type: "integer", description: "ms since the epoch" },
          type: { type: "string" },
          userId: nullableString,
          actorId: nullableString,
          ip: nullableString,
          userAgent: nullableString,
          organizationId: nullableString,
          method: nullableString,
          detail: { description: "A small JSON object with the event's particulars, or null." },
        },
        required: [
          "id",
          "at",
          "type",
          "userId",
          "actorId",
          "ip",
          "userAgent",
          "organizationId",
          "method",
          "detail",
        ],
      },
    },
    nextCursor: { ...nullableString, description: "Pass as `cursor` for the next (older) page." },
  },
  required: ["events", "nextCursor"],
};

const AUDIT_QUERY = [
  { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
  { name: "cursor", in: "query", schema: { type: "string" } },
  { name: "type", in: "query", schema: { type: "string" } },
];

/** /api/v1 accepts a fast-path Bearer token, the session cookie, or (with apiKey) an API key. */
export const apiSecurity = (apiKeys: boolean): Record<string, string[]>[] => [
  { bearerAuth: [] },
  { sessionCookie: [] },
  ...(apiKeys ? [{ apiKeyHeader: [] }] : []),
];
const UNAUTHORIZED = errorResponse("No credential, or a bad one (`error` says which).");

/** `apiKeys`: the apiKey plugin is on, so /api/v1 also takes an `x-api-key`. */
export function authformPaths(basePath: string, apiKeys: boolean): OpenApiPaths {
  const API_SECURITY = apiSecurity(apiKeys);
  return {
    "/": {
      get: {
        tags: [TAG],
        operationId: "authformRoot",
        description:
          "Where this stack's APIs are (not the Worker's in routes mode: domains.mount \"routes\").",
        security: [],
        responses: {
          "200": jsonResponse("The app's name and its entry points.", {
            type: "object",
            properties: { app: { type: "string" }, auth: { type: "string" }, status: { type: "string" } },
            required: ["app", "auth", "status"],
          }),
        },
      },
    },
    "/api/v1/me": {
      get: {
        tags: [TAG],
        operationId: "authformMe",
        description: "The caller, as every /api/v1 route sees them.",
        security: API_SECURITY,
        responses: { "200": jsonResponse("The caller.", API_AUTH), "401": UNAUTHORIZED },
      },
    },
    "/api/v1/token": {
      post: {
        tags: [TAG],
        operationId: "authformFastPathToken",
        description:
          "Mint a fast-path token (HS256 JWT) from the session cookie, for Bearer calls to /api/v1.",
        security: [{ sessionCookie: [] }],
        responses: {
          "200": jsonResponse("A fresh token.", {
            type: "object",
            properties: {
              token: { type: "string" },
              tokenType: { const: "Bearer" },
              expiresAt: { type: "integer", description: "The token's `exp`: seconds since the epoch." },
            },
            required: ["token", "tokenType", "expiresAt"],
          }),
          "401": UNAUTHORIZED,
        },
      },
    },
    "/api/v1/audit": {
      get: {
        tags: [TAG],
        operationId: "authformAudit",
        description: "The caller's own audit events, newest first.",
        security: API_SECURITY,
        parameters: AUDIT_QUERY,
        responses: { "200": jsonResponse("A page of events.", AUDIT_PAGE), "401": UNAUTHORIZED },
      },
    },
    "/api/v1/admin/audit": {
      get: {
        tags: [TAG],
        operationId: "authformAdminAudit",
        description: "Everyone's audit events, for the config's admins only.",
        security: API_SECURITY,
        parameters: [
          ...AUDIT_QUERY,
          { name: "userId", in: "query", schema: { type: "string" } },
          { name: "since", in: "query", schema: { type: "string" }, description: "ms or ISO date" },
          { name: "until", in: "query", schema: { type: "string" }, description: "ms or ISO date" },
        ],
        responses: {
          "200": jsonResponse("A page of events.", AUDIT_PAGE),
          "401": UNAUTHORIZED,
          "403": errorResponse("Not one of the config's admins."),
        },
      },
    },
    "/api/v1/system/status": {
      get: {
        tags: [TAG],
        operationId: "authformSystemStatus",
        description: "What this stack is, which plugins it runs, and whether each has what it needs.",
        security: [],
        responses: { "200": jsonResponse("The stack's status (no secrets).", SYSTEM_STATUS) },
      },
    },
    "/api/v1/system/email-status": {
      get: {
        tags: [TAG],
        operationId: "authformEmailStatus",
        description: "Whether the email transport has what it needs.",
        security: [],
        responses: {
          "200": jsonResponse("Email readiness.", {
            type: "object",
            properties: { emailConfigured: { type: "boolean" } },
            required: ["emailConfigured"],
          }),
        },
      },
    },
    [`${basePath}/reference/openapi.json`]: {
      get: {
        tags: [TAG],
        operationId: "authformReference",
        description: "This document.",
        security: [],
        responses: {
          "200": jsonResponse("The OpenAPI 3.1 document.", { type: "object" }),
          "404": jsonResponse("The config turned the reference off.", AUTHFORM_ERROR),
        },
      },
    },
  };
}
