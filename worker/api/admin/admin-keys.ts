/**
 * `POST /api/v1/admin/api-keys` `{ access: "read" | "write", name?, expiresInSeconds? }`: a config
 * admin, signed in with a session cookie, mints an API key carrying `permissions.admin`. Only here:
 * Better Auth's /auth/v1/api-key/create refuses `permissions` from any HTTP caller
 * (SERVER_ONLY_PROPERTY), and this calls it server-side for the admin. A key or a fast-path token
 * cannot mint keys: a leaked credential must not be able to make itself a longer-lived one.
 */
import type { Hono } from "hono";
import type { Auth } from "../../auth/create-auth.ts";
import type { WorkerEnv } from "../../env.ts";
import { CodedHttpError } from "../../middleware/errors.ts";
import type { WorkerSpec } from "../../spec.ts";
import type { ApiEnv } from "../context.ts";
import { ADMIN_SCOPE, requireAdmin } from "./admin-gate.ts";
import { readJson } from "./read-json.ts";

interface CreateApiKeyApi {
  createApiKey(input: {
    body: { userId: string; name?: string; expiresIn?: number; permissions: Record<string, string[]> };
  }): Promise<{ id: string; key: string; name: string | null; expiresAt: Date | string | null }>;
}

export function adminKeyRoutes(app: Hono<ApiEnv>, spec: WorkerSpec, authFor: (env: WorkerEnv) => Auth) {
  app.post("/admin/api-keys", async (c) => {
    if (c.get("auth").authMethod !== "session")
      throw new CodedHttpError(
        403,
        "session_required",
        "Admin API keys are minted from a signed-in session, not from a token or another key.",
      );
    const adminId = await requireAdmin(c, spec, "write");
    const body = await readJson(c);
    const access = body.access;
    if (access !== "read" && access !== "write")
      throw new CodedHttpError(400, "invalid_request", 'access must be "read" or "write".');
    const name = body.name;
    if (name !== undefined && (typeof name !== "string" || name.length > 64))
      throw new CodedHttpError(400, "invalid_request", "name must be a string of at most 64 characters.");
    const expiresIn = body.expiresInSeconds;
    if (expiresIn !== undefined && (!Number.isInteger(expiresIn) || (expiresIn as number) < 86_400))
      throw new CodedHttpError(
        400,
        "invalid_request",
        "expiresInSeconds must be a whole number of at least 86400.",
      );
    const created = await (authFor(c.env).api as unknown as CreateApiKeyApi).createApiKey({
      body: {
        userId: adminId,
        ...(name !== undefined ? { name: name as string } : {}),
        ...(expiresIn !== undefined ? { expiresIn: expiresIn as number } : {}),
        // "write" implies "read": a key that may ban may also look the user up first.
        permissions: { [ADMIN_SCOPE]: access === "write" ? ["read", "write"] : ["read"] },
      },
    });
    return c.json(
      { id: created.id, key: created.key, name: created.name, expiresAt: created.expiresAt, access },
      200,
      { "cache-control": "no-store" },
    );
  });
}
