/** Builds the Better Auth instance for an isolate from the Worker's env and the generated spec. */
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { betterAuth } from "better-auth/minimal";
import { drizzle } from "drizzle-orm/d1";
import type { PluginName } from "../../src/config/plugins.ts";
import { fastPathTokenOnSignIn } from "../api/token-on-sign-in.ts";
import { schema } from "../db/schema.ts";
import { accountEmails } from "../email/account-emails.ts";
import { emailDeliveryGuard, reportDeliveryFailures } from "../email/delivery.ts";
import { emailSenderFor } from "../email/index.ts";
import type { WorkerEnv } from "../env.ts";
import type { WorkerSpec } from "../spec.ts";

export function createAuth(env: WorkerEnv, spec: WorkerSpec) {
  const { manifest } = spec;
  // Every auth email goes through one sender; a failed send is a 502 for the caller (email/delivery.ts).
  const email = reportDeliveryFailures(emailSenderFor(env, manifest), {
    detailed: env.AUTHFORM_MODE === "local",
  });
  const { emailVerification, sendResetPassword } = accountEmails(env, manifest, email);
  const plugins = Object.entries(spec.plugins).flatMap(([name, module]) =>
    module.betterAuth({ env, manifest, email, options: manifest.plugins[name as PluginName] ?? {} }),
  );
  return betterAuth({
    appName: env.APP_NAME,
    baseURL: env.BETTER_AUTH_URL,
    basePath: manifest.basePath,
    secret: env.BETTER_AUTH_SECRET,
    database: drizzleAdapter(drizzle(env.DB, { schema }), { provider: "sqlite", schema }),
    emailAndPassword: {
      enabled: manifest.emailAndPassword.enabled,
      disableSignUp: !manifest.emailAndPassword.allowSignUp,
      minPasswordLength: manifest.emailAndPassword.minPasswordLength,
      maxPasswordLength: manifest.emailAndPassword.maxPasswordLength,
      requireEmailVerification: manifest.emailAndPassword.requireEmailVerification,
      sendResetPassword,
    },
    emailVerification,
    trustedOrigins: [...new Set([env.BETTER_AUTH_URL, env.ACCOUNT_URL, env.APP_URL])],
    telemetry: { enabled: false },
    // Cloudflare puts the client's address in cf-connecting-ip; x-forwarded-for is client-controlled there.
    advanced: { ipAddress: { ipAddressHeaders: ["cf-connecting-ip"] } },
    plugins: [...plugins, fastPathTokenOnSignIn(env, manifest), emailDeliveryGuard()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const instances = new WeakMap<object, Auth>();

/** One Better Auth instance per isolate: building it costs milliseconds, a request should not pay that. */
export function authFor(env: WorkerEnv, spec: WorkerSpec): Auth {
  let auth = instances.get(env);
  if (!auth) {
    auth = createAuth(env, spec);
    instances.set(env, auth);
  }
  return auth;
}
