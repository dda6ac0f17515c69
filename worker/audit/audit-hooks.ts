/**
 * Where the audit log hears about events: one Better Auth plugin with an after hook over the
 * endpoints that change an account (and sign-out's before hook, while the session still exists),
 * plus the user-create database hook for sign-ups by any method. Each event goes to the request's
 * collector (request-scope.ts); nothing here waits on a write.
 */
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getOAuthState, getSessionFromCtx } from "better-auth/api";
import { decodeJwt } from "jose";
import type { AuditEvent, AuditEventType, PluginAudit, SignInMethod } from "./event-types.ts";
import { recordAudit } from "./request-scope.ts";

type HookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];
type Fields = Record<string, unknown>;

/** Core endpoints that end in a new session, and the method they sign in with. */
const CORE_SIGN_INS: Record<string, SignInMethod> = {
  "/sign-in/email": "password",
  "/callback/:id": "social",
};

/** Core signed-in actions on the caller's own account, recorded when they succeed. */
const CORE_OWN_ACTIONS: Record<string, AuditEventType> = {
  "/change-password": "password.change",
  // A first password (worker/auth/set-password.ts) is a password change too.
  "/set-password": "password.change",
};

const STOP_IMPERSONATING = "/admin/stop-impersonating";

/** The paths the hooks watch: the core's, plus each enabled plugin's own (its `audit` entry). */
interface Watched {
  signIns: Record<string, SignInMethod>;
  ownActions: Record<string, AuditEventType>;
  adminActions: Record<string, AuditEventType>;
}

function watchedPaths(plugins: PluginAudit[]): Watched {
  return {
    signIns: Object.assign({}, CORE_SIGN_INS, ...plugins.map((p) => p.signIns ?? {})),
    ownActions: Object.assign({}, CORE_OWN_ACTIONS, ...plugins.map((p) => p.ownActions ?? {})),
    adminActions: Object.assign({}, ...plugins.map((p) => p.adminActions ?? {})),
  };
}

function methodOf(watch: Watched, path: string): SignInMethod | undefined {
  return watch.signIns[path] ?? (path.startsWith("/callback/") ? "social" : undefined);
}

const fields = (value: unknown): Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Fields) : {};
const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/**
 * A failed sign-in's address, kept only as the first 16 hex digits of its SHA-256 (lowercased):
 * enough to see attempts on one address repeat, never the address of someone who has no account.
 */
export async function hashedEmail(email: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(email.trim().toLowerCase()));
  return [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function signInEvent(ctx: HookContext, method: SignInMethod): Promise<AuditEvent | undefined> {
  const returned = ctx.context.returned;
  if (returned instanceof APIError) {
    // Never the password or a code: who was tried (the account, or a hash of the address) and why it failed.
    const email = str(fields(ctx.body).email);
    const user = email ? await ctx.context.internalAdapter.findUserByEmail(email.toLowerCase()) : null;
    return {
      type: "sign-in.failure",
      userId: user?.user.id ?? null,
      method,
      detail: {
        reason: String(returned.body?.code ?? returned.status),
        ...(email && !user ? { emailHash: await hashedEmail(email) } : {}),
      },
    };
  }
  // A first factor that asks for a second has not signed in yet.
  if (fields(returned).twoFactorRedirect === true) return undefined;
  const created = ctx.context.newSession;
  if (!created) return undefined;
  return {
    type: "sign-in.success",
    userId: created.user.id,
    method,
    organizationId: str(fields(created.session).activeOrganizationId),
  };
}

function ownActionEvent(ctx: HookContext, type: AuditEventType): AuditEvent | undefined {
  const current = ctx.context.session;
  const returned = fields(ctx.context.returned);
  const body = fields(ctx.body);
  const detail: AuditEvent["detail"] = {};
  if (type === "passkey.add") detail.passkeyId = str(returned.id);
  if (type === "passkey.remove") detail.passkeyId = str(body.id);
  if (type === "api-key.create") detail.keyId = str(returned.id);
  if (type === "api-key.revoke") detail.keyId = str(body.keyId);
  if (type === "oauth.client-register") detail.clientId = str(returned.client_id);
  if (type === "oauth.consent-grant") detail.accepted = body.accept === true;
  if (type === "oauth.consent-revoke") detail.consentId = str(body.id);
  const userId = current?.user.id ?? str(returned.userId);
  // A dynamically registered OAuth client has no user: still worth a record.
  if (!userId && type !== "oauth.client-register") return undefined;
  return {
    type,
    userId,
    organizationId: str(fields(current?.session).activeOrganizationId),
    detail,
  };
}

function adminActionEvent(ctx: HookContext, type: AuditEventType): AuditEvent | undefined {
  const admin = ctx.context.session;
  const body = fields(ctx.body);
  const target = str(body.userId);
  if (!admin || !target) return undefined;
  const detail: AuditEvent["detail"] = {};
  if (type === "admin.ban") {
    detail.reason = str(body.banReason)?.slice(0, 200) ?? null;
    detail.expiresIn = typeof body.banExpiresIn === "number" ? body.banExpiresIn : null;
  }
  if (type === "admin.set-role")
    detail.role = Array.isArray(body.role) ? body.role.join(",") : str(body.role);
  return { type, userId: target, actorId: admin.user.id, detail };
}

function stopImpersonatingEvent(ctx: HookContext): AuditEvent | undefined {
  const current = ctx.context.session;
  if (!current) return undefined;
  return {
    type: "admin.impersonate-stop",
    userId: current.user.id,
    actorId: str(fields(current.session).impersonatedBy),
  };
}

async function afterEvent(watch: Watched, ctx: HookContext): Promise<AuditEvent | undefined> {
  const path = ctx.path ?? "";
  const method = methodOf(watch, path);
  if (method) return signInEvent(ctx, method);
  if (ctx.context.returned instanceof APIError) return undefined;
  if (path === STOP_IMPERSONATING) return stopImpersonatingEvent(ctx);
  const own = watch.ownActions[path];
  if (own) return ownActionEvent(ctx, own);
  const admin = watch.adminActions[path];
  if (admin) return adminActionEvent(ctx, admin);
  return undefined;
}

const watches = (watch: Watched, path: string | undefined) =>
  path !== undefined &&
  (methodOf(watch, path) !== undefined ||
    path === STOP_IMPERSONATING ||
    Object.hasOwn(watch.ownActions, path) ||
    Object.hasOwn(watch.adminActions, path));

/** The address an email-change link's token changes to (its `updateTo`); undefined for other tokens. */
function emailChangedTo(token: unknown): string | undefined {
  if (typeof token !== "string") return undefined;
  try {
    const { updateTo } = decodeJwt(token);
    return typeof updateTo === "string" ? updateTo : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A password reset as `password.change` (`detail.reset`): the reset endpoint has no signed-in user
 * for the after hook to name, so Better Auth's `onPasswordReset` reports it with the user it reset.
 */
export function auditPasswordReset({ user }: { user: { id: string } }): void {
  recordAudit({ type: "password.change", userId: user.id, detail: { reset: true } });
}

/** `plugins`: the enabled plugins' audit entries, so a bundle names only its own plugins' paths. */
export function auditHooks(plugins: PluginAudit[]): BetterAuthPlugin {
  const watch = watchedPaths(plugins);
  return {
    id: "authform-audit",
    init() {
      return {
        options: {
          databaseHooks: {
            // A provider linked to a signed-in account (link-social's round trip ends in the callback,
            // whose state names the account it links to) and one unlinked; `provider` is its id.
            account: {
              create: {
                after: async (account) => {
                  const state = await getOAuthState().catch(() => null);
                  if (state?.link)
                    recordAudit({
                      type: "account.link",
                      userId: account.userId,
                      detail: { provider: account.providerId },
                    });
                },
              },
              delete: {
                after: async (account, ctx) => {
                  if (ctx?.path === "/unlink-account")
                    recordAudit({
                      type: "account.unlink",
                      userId: account.userId,
                      detail: { provider: account.providerId },
                    });
                },
              },
            },
            user: {
              update: {
                // An email change happens when the new address's link is followed (/verify-email),
                // not when it is asked for (/change-email); only a completed change writes `email`.
                after: async (user, ctx) => {
                  if (ctx?.path === "/verify-email" && emailChangedTo(ctx.query?.token) === user.email)
                    recordAudit({ type: "email.change", userId: user.id });
                },
              },
              create: {
                after: async (user, ctx) => {
                  const path = ctx?.path ?? "";
                  recordAudit({
                    type: "sign-up",
                    userId: user.id,
                    method: methodOf(watch, path) ?? (path === "/sign-up/email" ? "password" : undefined),
                  });
                },
              },
            },
          },
        },
      };
    },
    hooks: {
      before: [
        {
          // Recorded before Better Auth ends the session, which is when it still says whose it was.
          matcher: (ctx) => ctx.path === "/sign-out",
          handler: createAuthMiddleware(async (ctx) => {
            const current = await getSessionFromCtx(ctx);
            if (current) recordAudit({ type: "sign-out", userId: current.user.id });
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => watches(watch, ctx.path),
          handler: createAuthMiddleware(async (ctx) => {
            const event = await afterEvent(watch, ctx);
            if (event) recordAudit(event);
          }),
        },
      ],
    },
  };
}
