/**
 * /api/v1/admin/users: what /auth/v1/admin/* does (list and search, read, ban and unban, set a role,
 * revoke sessions, delete), for callers Better Auth's admin endpoints cannot see: a fast-path token
 * or an admin-scoped API key has no session cookie. Each operation is the same internal-adapter
 * calls as Better Auth's admin plugin (1.7.29 routes), so cached sessions in KV follow, a ban ends
 * the user's sessions (and their keys, worker/api/key-owner.ts), and the same rules hold: nobody
 * bans or deletes themself, and the admin role comes only from the config. Each change is audited
 * with the admin (the key's owner, for a key) as actor. Impersonation stays session-only, at
 * /auth/v1/admin/impersonate-user: it hands out a session, which a key must never turn into.
 */
import type { Context, Hono } from "hono";
import type { AuditEvent, AuditEventType } from "../../audit/event-types.ts";
import { recordAudit } from "../../audit/request-scope.ts";
import type { Auth } from "../../auth/create-auth.ts";
import { adminSettings } from "../../auth/plugins/admin/options.ts";
import { ADMIN_ROLE, DEFAULT_ROLE, includesAdmin, rolesIn } from "../../auth/plugins/admin/roles.ts";
import type { WorkerEnv } from "../../env.ts";
import { CodedHttpError } from "../../middleware/errors.ts";
import type { WorkerSpec } from "../../spec.ts";
import type { ApiEnv } from "../context.ts";
import { isConfigAdmin, requireAdmin } from "./admin-gate.ts";
import { publicUser, type UserRow } from "./public-user.ts";
import { readJson } from "./read-json.ts";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const REASON_MAX = 200;

const bad = (message: string) => new CodedHttpError(400, "invalid_request", message);

function wholeNumber(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw bad(`${name} must be a whole number of at least ${min}.`);
  return n;
}

export function adminUserRoutes(app: Hono<ApiEnv>, spec: WorkerSpec, authFor: (env: WorkerEnv) => Auth) {
  const settings = adminSettings((spec.manifest.plugins.admin ?? {}) as Record<string, unknown>);
  const assignable = new Set([DEFAULT_ROLE, ...settings.roles]);
  const adapterOf = async (env: WorkerEnv) => (await authFor(env).$context).internalAdapter;

  /** The target, or 404 (Better Auth's USER_NOT_FOUND). */
  async function target(env: WorkerEnv, id: string): Promise<UserRow> {
    const user = (await (await adapterOf(env)).findUserById(id)) as UserRow | null;
    if (!user) throw new CodedHttpError(404, "user_not_found", "No user has this id.");
    return user;
  }

  /** An admin event, saying how the admin came in (and which key) so a leaked key's actions can be traced. */
  function audit(
    c: Context<ApiEnv>,
    type: AuditEventType,
    userId: string,
    actorId: string,
    detail: AuditEvent["detail"] = {},
  ) {
    const key = c.get("apiKey");
    recordAudit({
      type,
      userId,
      actorId,
      detail: { ...detail, via: c.get("auth").authMethod, ...(key ? { keyId: key.id } : {}) },
    });
  }

  app.get("/admin/users", async (c) => {
    await requireAdmin(c, spec, "read");
    const query = c.req.query();
    const limit = Math.min(wholeNumber("limit", query.limit, DEFAULT_LIMIT, 1), MAX_LIMIT);
    const offset = wholeNumber("offset", query.offset, 0, 0);
    const search = query.search?.trim();
    // Better Auth's list-users search: a substring of the address or the name.
    const where = search
      ? [
          { field: "email", operator: "contains" as const, value: search.toLowerCase() },
          { field: "name", operator: "contains" as const, value: search, connector: "OR" as const },
        ]
      : undefined;
    const adapter = await adapterOf(c.env);
    const [users, total] = await Promise.all([
      adapter.listUsers(limit, offset, { field: "createdAt", direction: "desc" }, where),
      adapter.countTotalUsers(where),
    ]);
    return c.json(
      {
        users: (users as UserRow[]).map(publicUser),
        total,
        limit,
        offset,
        nextOffset: offset + users.length < total ? offset + users.length : null,
      },
      200,
      { "cache-control": "no-store" },
    );
  });

  app.get("/admin/users/:id", async (c) => {
    await requireAdmin(c, spec, "read");
    return c.json({ user: publicUser(await target(c.env, c.req.param("id"))) }, 200, {
      "cache-control": "no-store",
    });
  });

  app.post("/admin/users/:id/ban", async (c) => {
    const adminId = await requireAdmin(c, spec, "write");
    const body = await readJson(c);
    const reason = body.reason;
    if (reason !== undefined && (typeof reason !== "string" || reason.length > REASON_MAX))
      throw bad(`reason must be a string of at most ${REASON_MAX} characters.`);
    const seconds = body.expiresInSeconds;
    if (seconds !== undefined && (!Number.isInteger(seconds) || (seconds as number) < 1))
      throw bad(
        "expiresInSeconds must be a whole number of at least 1 (leave it out for a ban without end).",
      );
    const id = c.req.param("id");
    await target(c.env, id);
    if (id === adminId) throw new CodedHttpError(400, "cannot_ban_yourself", "You cannot ban yourself.");
    const adapter = await adapterOf(c.env);
    // One update of all three fields: concurrent bans and unbans leave one of them whole, never a mix.
    const user = (await adapter.updateUser(id, {
      banned: true,
      banReason: (reason as string | undefined) || "No reason",
      banExpires: seconds === undefined ? null : new Date(Date.now() + (seconds as number) * 1000),
      updatedAt: new Date(),
    })) as UserRow;
    await adapter.deleteUserSessions(id);
    audit(c, "admin.ban", id, adminId, {
      reason: (reason as string | undefined) ?? null,
      expiresIn: (seconds as number | undefined) ?? null,
    });
    return c.json({ user: publicUser(user) });
  });

  app.post("/admin/users/:id/unban", async (c) => {
    const adminId = await requireAdmin(c, spec, "write");
    const id = c.req.param("id");
    await target(c.env, id);
    const user = (await (
      await adapterOf(c.env)
    ).updateUser(id, {
      banned: false,
      banReason: null,
      banExpires: null,
      updatedAt: new Date(),
    })) as UserRow;
    audit(c, "admin.unban", id, adminId);
    return c.json({ user: publicUser(user) });
  });

  app.post("/admin/users/:id/role", async (c) => {
    const adminId = await requireAdmin(c, spec, "write");
    const body = await readJson(c);
    const roles = rolesIn(body.role).filter((role) => role !== "");
    if (roles.length === 0) throw bad('role must be a role name (or a list of them), e.g. "user".');
    const id = c.req.param("id");
    await target(c.env, id);
    // The admin role is the config's to give or take (config-admins.ts), here as at /auth/v1/admin/set-role.
    if (includesAdmin(roles) || (await isConfigAdmin(c.env, spec, id)))
      throw new CodedHttpError(
        403,
        "admin_role_from_config",
        `Who is ${ADMIN_ROLE} is set in the config (admin.userEmails); the admin role cannot be given or taken here.`,
      );
    const unknown = roles.find((role) => !assignable.has(role));
    if (unknown) throw bad(`"${unknown}" is not a role this stack declares (${[...assignable].join(", ")}).`);
    const role = roles.join(",");
    const user = (await (await adapterOf(c.env)).updateUser(id, { role })) as UserRow;
    audit(c, "admin.set-role", id, adminId, { role });
    return c.json({ user: publicUser(user) });
  });

  app.post("/admin/users/:id/revoke-sessions", async (c) => {
    const adminId = await requireAdmin(c, spec, "write");
    const id = c.req.param("id");
    await target(c.env, id);
    await (await adapterOf(c.env)).deleteUserSessions(id);
    audit(c, "admin.revoke-sessions", id, adminId);
    return c.json({ success: true });
  });

  app.delete("/admin/users/:id", async (c) => {
    const adminId = await requireAdmin(c, spec, "write");
    const id = c.req.param("id");
    if (id === adminId)
      throw new CodedHttpError(400, "cannot_delete_yourself", "You cannot delete yourself.");
    await target(c.env, id);
    const context = await authFor(c.env).$context;
    await context.internalAdapter.deleteUser(id);
    await context.internalAdapter.deleteUserSessions(id);
    // Outside a Better Auth endpoint its user-delete hook (worker/auth/delete-account.ts) gets no
    // context and leaves the user's API keys: remove them here, or they would act as no one.
    if (spec.plugins.apiKey)
      await context.adapter.deleteMany({ model: "apikey", where: [{ field: "referenceId", value: id }] });
    audit(c, "admin.delete-user", id, adminId);
    return c.json({ success: true });
  });
}
