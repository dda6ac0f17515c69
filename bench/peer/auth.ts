/**
 * The benchmark's stock peer: Better Auth configured by hand from its Cloudflare/Hono docs — D1
 * passed directly (Kysely D1 dialect), default options. The two peer Workers differ only in when
 * they call this: once per isolate (worker.ts) or on every request (worker-per-request.ts).
 */
import { apiKey } from "@better-auth/api-key";
import { oauthProvider } from "@better-auth/oauth-provider";
import { passkey } from "@better-auth/passkey";
import { betterAuth } from "better-auth";
import { anonymous, emailOTP, jwt, magicLink, organization } from "better-auth/plugins";
// "../peer/": the same path from here and from the cut-down copies bench/run.ts writes to bench/.tmp/.
import { parseScryptParams, scryptPassword } from "../peer/scrypt-password.ts";

export interface Env {
  DB: D1Database;
  BETTER_AUTH_SECRET: string;
  BETTER_AUTH_URL: string;
  /** "N,r,p": hash passwords with this scrypt instead of Better Auth's default (peer-free only). */
  PASSWORD_SCRYPT?: string;
}

export function createAuth(env: Env) {
  return betterAuth({
    database: env.DB,
    secret: env.BETTER_AUTH_SECRET,
    baseURL: env.BETTER_AUTH_URL,
    basePath: "/auth/v1",
    emailAndPassword: {
      enabled: true,
      ...(env.PASSWORD_SCRYPT ? { password: scryptPassword(parseScryptParams(env.PASSWORD_SCRYPT)) } : {}),
    },
    plugins: [
      // The email plugins need a sender; the benchmark never sends, so these only log.
      emailOTP({
        async sendVerificationOTP({ email, type }) {
          console.log(`otp (${type}) for ${email}`);
        },
      }),
      anonymous(),
      magicLink({
        async sendMagicLink({ email }) {
          console.log(`magic link for ${email}`);
        },
      }),
      passkey(),
      jwt(),
      apiKey(),
      organization(),
      oauthProvider({ loginPage: "/login", consentPage: "/consent" }),
    ],
  });
}
