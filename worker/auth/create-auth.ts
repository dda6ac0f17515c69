/** Builds the Better Auth instance for an isolate from the Worker's env and the generated spec. */
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { betterAuth } from "better-auth/minimal";
import { drizzle } from "drizzle-orm/d1";
import type { PluginName } from "../../src/contract/plugins.ts";
import { fastPathTokenOnSignIn } from "../api/token-on-sign-in.ts";
import { auditHooks, auditPasswordReset } from "../audit/audit-hooks.ts";
import { requestMemo, routedD1 } from "../db/d1-session.ts";
import { joinRelations } from "../db/join-relations.ts";
import { schema } from "../db/schema.ts";
import { sessionLookupInOneStatement } from "../db/session-lookup.ts";
import { accountEmails } from "../email/account-emails.ts";
import { emailDeliveryGuard, reportDeliveryFailures } from "../email/delivery.ts";
import { emailSenderFor } from "../email/index.ts";
import { sendAfterResponse } from "../email/send-after-response.ts";
import type { WorkerEnv } from "../env.ts";
import { judgeAfterReservation } from "./account-limits/judge-after-reservation.ts";
import { compensatingTransactions } from "./atomic-writes.ts";
import type { AuthSpec } from "./auth-spec.ts";
import { changeEmailRules } from "./change-email-rules.ts";
import { cookieSettings } from "./cookies.ts";
import { deleteAccountRules } from "./delete-account.ts";
import { trustedOrigins } from "./origins.ts";
import { passwordHashing, rehashOnSignIn } from "./password-hashing.ts";
import { rateLimitOptions } from "./rate-limit.ts";
import { revokeOnPasswordChange } from "./revoke-on-password-change.ts";
import { revokeUnprovenCredentials } from "./revoke-unproven-credentials.ts";
import { kvSecondaryStorage } from "./secondary-storage.ts";
import { authSecretOptions, secretRotation } from "./secrets.ts";
import { d1SessionIndex } from "./session-index.ts";
import { setPassword } from "./set-password.ts";
import { singleUseVerificationLinks } from "./single-use-verification-links.ts";
import { storageNamespace } from "./storage-binding.ts";
import { unlinkGuard } from "./unlink-guard.ts";

export function createAuth(env: WorkerEnv, spec: AuthSpec) {
  const { manifest } = spec;
  const kv = storageNamespace(env, manifest);
  // Every auth email goes through one sender; a failed send is a 502 for the caller (email/delivery.ts).
  const transport = emailSenderFor(env, manifest);
  const email = reportDeliveryFailures(transport, { detailed: env.AUTHFORM_MODE === "local" });
  // Reset requests: answered before the send, as an unknown address is (email/send-after-response.ts).
  const emailAfterResponse = sendAfterResponse(transport);
  const { emailVerification, sendResetPassword, afterDelete } = accountEmails(env, manifest, {
    email,
    emailAfterResponse,
  });
  const plugins = Object.entries(spec.plugins).flatMap(([name, module]) =>
    module.betterAuth({
      env,
      manifest,
      email,
      emailAfterResponse,
      options: manifest.plugins[name as PluginName] ?? {},
    }),
  );
  // Social sign-in, when the config has it (the generated entry bundles worker/auth/social/ only then).
  const social = spec.social?.betterAuth(env, manifest);
  // Each request's statements go through its D1 session (read replicas, read-your-writes). The
  // relations let Better Auth's joins run as one statement (get-session: session + user).
  const d1 = routedD1(env.DB);
  const db = drizzle(d1, { schema: { ...schema, ...joinRelations } });
  const auth = betterAuth({
    appName: env.APP_NAME,
    baseURL: env.BETTER_AUTH_URL,
    basePath: manifest.basePath,
    // BETTER_AUTH_SECRET, and during a rotation BETTER_AUTH_PREVIOUS_SECRET, as Better Auth's versioned secrets.
    ...authSecretOptions(env),
    // D1 has no interactive transactions: a failed sign-up undoes the rows it wrote (atomic-writes.ts).
    // get-session's lookup (a session by token, with its user) is one statement built once (session-lookup.ts).
    database: sessionLookupInOneStatement(
      compensatingTransactions(drizzleAdapter(db, { provider: "sqlite", schema })),
      d1,
      schema,
    ),
    // defineStorage("cloudflare-kv"): KV answers session reads; D1 keeps every session and
    // verification value too, so a KV miss falls back to D1 and KV can be turned off safely.
    secondaryStorage: kv
      ? kvSecondaryStorage(kv, { sessionIndex: d1SessionIndex(db), memo: requestMemo })
      : undefined,
    session: { storeSessionInDatabase: true },
    verification: { storeInDatabase: true },
    emailAndPassword: {
      enabled: manifest.emailAndPassword.enabled,
      disableSignUp: !manifest.emailAndPassword.allowSignUp,
      minPasswordLength: manifest.emailAndPassword.minPasswordLength,
      maxPasswordLength: manifest.emailAndPassword.maxPasswordLength,
      requireEmailVerification: manifest.emailAndPassword.requireEmailVerification,
      password: passwordHashing(manifest.emailAndPassword.passwordHashing),
      sendResetPassword,
      // A reset is how an account is taken back: end every session, the intruder's included.
      revokeSessionsOnPasswordReset: true,
      onPasswordReset: async (data) => auditPasswordReset(data),
    },
    emailVerification,
    // POST /delete-user, under authform's rules (delete-account.ts): the password, or a sign-in of the last minutes.
    // POST /change-email: a link to the new address, a notice to the old one (change-email-rules.ts).
    // The deleted address gets a confirmation (account-emails.ts).
    user: { deleteUser: { enabled: true, afterDelete }, changeEmail: { enabled: true } },
    ...(social
      ? { socialProviders: social.socialProviders, account: social.account, onAPIError: social.onAPIError }
      : {}),
    trustedOrigins: [...trustedOrigins(env), ...(social?.trustedOrigins ?? [])],
    telemetry: { enabled: false },
    // Cloudflare puts the client's address in cf-connecting-ip; x-forwarded-for is client-controlled there.
    // disableOriginCheck: false, explicitly: Better Auth skips origin/CSRF checks whenever NODE_ENV=test or TEST is set.
    advanced: {
      ipAddress: { ipAddressHeaders: ["cf-connecting-ip"] },
      disableOriginCheck: false,
      // A row and what it joins (session + user, member + user, ...) in one D1 statement, through
      // drizzle's relational queries (db/join-relations.ts), instead of a second query per join.
      database: { joins: true },
      ...cookieSettings(env),
    },
    rateLimit: rateLimitOptions(env, manifest),
    plugins: [
      // First, so its before-hook runs before any other: nothing is judged before an attempt's
      // per-account reservation is known (account-limits/judge-after-reservation.ts).
      judgeAfterReservation(),
      ...plugins,
      ...(social?.plugins ?? []),
      ...(spec.oauthProxy?.betterAuth(env, manifest) ?? []),
      ...secretRotation(env),
      fastPathTokenOnSignIn(env, manifest),
      emailDeliveryGuard(),
      rehashOnSignIn(manifest.emailAndPassword.passwordHashing),
      revokeOnPasswordChange(),
      // POST /set-password: a first password, for accounts without one (set-password.ts).
      ...(manifest.emailAndPassword.enabled ? [setPassword()] : []),
      deleteAccountRules(),
      // POST /unlink-account keeps at least one way to sign in (unlink-guard.ts).
      unlinkGuard(manifest),
      changeEmailRules(),
      revokeUnprovenCredentials(),
      singleUseVerificationLinks(),
      auditHooks(Object.values(spec.plugins).map((module) => module.audit ?? {})),
    ],
  });
  spec.social?.attach(auth, env);
  return auth;
}

export type Auth = ReturnType<typeof createAuth>;

const instances = new WeakMap<object, Auth>();

/** One Better Auth instance per isolate: building it costs milliseconds, a request should not pay that. */
export function authFor(env: WorkerEnv, spec: AuthSpec): Auth {
  let auth = instances.get(env);
  if (!auth) {
    auth = createAuth(env, spec);
    instances.set(env, auth);
  }
  return auth;
}
