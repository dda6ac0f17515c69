/** The stack's OpenAPI 3.1 document: Better Auth's enabled endpoints, the plugins' seed paths, authform's own. */
import type { WorkerEnv } from "../env.ts";
import type { RouteContext } from "../spec.ts";
import { adminPaths } from "./admin-paths.ts";
import { apiSecurity, authformPaths } from "./authform-paths.ts";
import { betterAuthPaths } from "./better-auth-paths.ts";
import type { OpenApiPaths } from "./openapi.ts";
import { validOpenApiPaths } from "./valid-openapi.ts";

export async function referenceDocument(env: WorkerEnv, ctx: RouteContext) {
  const { manifest, plugins } = ctx.spec;
  const generated = await betterAuthPaths(ctx.auth(env), manifest);
  const paths: OpenApiPaths = { ...generated.paths };
  // Each plugin documents the routes it adds beside Better Auth's (seed aliases, root discovery);
  // an alias may share a path with another method (POST /token beside Better Auth's GET).
  const add = (more: OpenApiPaths = {}) => {
    for (const [path, item] of Object.entries(more)) paths[path] = { ...paths[path], ...item };
  };
  for (const module of Object.values(plugins))
    add(module.reference?.({ basePath: manifest.basePath, paths }));
  add(authformPaths(manifest.basePath, plugins.apiKey !== undefined));
  if (plugins.admin) add(adminPaths(apiSecurity(plugins.apiKey !== undefined), plugins.apiKey !== undefined));
  const enabled = Object.keys(manifest.plugins);
  return {
    openapi: "3.1.1",
    info: {
      title: `${env.APP_NAME} API`,
      version: "1",
      description: [
        `Better Auth at ${manifest.basePath}`,
        enabled.length > 0 ? ` with ${enabled.join(", ")}` : "",
        ", and authform's /api/v1. Paths are as served: relative to the server's origin.",
        " Better Auth's endpoints that need a user read the session cookie (sessionCookie).",
      ].join(""),
    },
    servers: [{ url: new URL(env.BETTER_AUTH_URL).origin }],
    components: {
      schemas: generated.schemas,
      securitySchemes: {
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "better-auth.session_token",
          description: "The session cookie a sign-in sets (__Secure- prefixed over https).",
        },
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "/api/v1 only: a fast-path token from POST /api/v1/token.",
        },
        ...(plugins.apiKey
          ? { apiKeyHeader: { type: "apiKey", in: "header", name: "x-api-key", description: "An API key." } }
          : {}),
      },
    },
    tags: tagsOf(paths),
    paths: validOpenApiPaths(paths),
  };
}

/** Every tag an operation uses, declared once (validators and viewers group by them). */
function tagsOf(paths: OpenApiPaths): { name: string }[] {
  const names = new Set<string>();
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      if (Array.isArray(operation.tags)) for (const tag of operation.tags) names.add(String(tag));
    }
  }
  return [...names].sort().map((name) => ({ name }));
}
