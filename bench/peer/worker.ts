/**
 * The benchmark's stock peer: a Better Auth Worker written by hand from Better Auth's Cloudflare/Hono
 * docs — D1 passed directly (Kysely D1 dialect), default options, the auth instance built per request.
 */
import { apiKey } from "@better-auth/api-key";
import { oauthProvider } from "@better-auth/oauth-provider";
import { passkey } from "@better-auth/passkey";
import { betterAuth } from "better-auth";
import { anonymous, emailOTP, jwt, magicLink, organization } from "better-auth/plugins";
import { Hono } from "hono";

interface Env {
  DB: D1Database;
  BETTER_AUTH_SECRET: string;
  BETTER_AUTH_URL: string;
}

// `env` only exists inside fetch on Workers, so the docs' pattern builds the instance per request.
function createAuth(env: Env) {
  return betterAuth({
    database: env.DB,
    secret: env.BETTER_AUTH_SECRET,
    baseURL: env.BETTER_AUTH_URL,
    basePath: "/auth/v1",
    emailAndPassword: { enabled: true },
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

const app = new Hono<{ Bindings: Env }>();
app.on(["GET", "POST"], "/auth/v1/*", (c) => createAuth(c.env).handler(c.req.raw));
app.get("/", (c) => c.json({ app: "bench-peer", auth: "/auth/v1" }));

export default app;
