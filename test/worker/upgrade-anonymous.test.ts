/** The upgradeAnonymous plugin under Better Auth settings the stack tests do not use: the cookie cache, password sign-up off. */
import type { BetterAuthOptions } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { betterAuth } from "better-auth/minimal";
import { anonymous } from "better-auth/plugins/anonymous";
import { emailOTP } from "better-auth/plugins/email-otp";
import { describe, expect, it } from "vitest";
import { upgradeAnonymous } from "../../worker/auth/plugins/upgrade-anonymous/plugin.ts";

const ORIGIN = "http://localhost:3000";

/** A Better Auth instance on an in-memory database and a cookie-keeping caller for it. */
function setUp(options: Partial<BetterAuthOptions> = {}) {
  const auth = betterAuth({
    baseURL: ORIGIN,
    basePath: "/auth/v1",
    secret: "a-test-secret-that-is-long-enough-for-better-auth",
    database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
    emailAndPassword: { enabled: true },
    telemetry: { enabled: false },
    ...options,
    plugins: [
      anonymous(),
      upgradeAnonymous(),
      // A guest proves an address by code (authform turns this on for guests: guest-email-by-code.ts).
      emailOTP({
        changeEmail: { enabled: true },
        async sendVerificationOTP({ email, otp }) {
          codes.set(email, otp);
        },
      }),
    ],
  });
  const codes = new Map<string, string>();
  const jar = new Map<string, string>();
  async function call(path: string, json?: unknown): Promise<Response> {
    const headers = new Headers({ origin: ORIGIN });
    if (jar.size > 0) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    if (json !== undefined) headers.set("content-type", "application/json");
    const res = await auth.handler(
      new Request(`${ORIGIN}/auth/v1${path}`, {
        method: json === undefined ? "GET" : "POST",
        headers,
        body: json === undefined ? undefined : JSON.stringify(json),
      }),
    );
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const [name = "", value = ""] = pair.split("=");
      if (/max-age=0\b/i.test(line) || value === "") jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }
  return { call, jar, codes };
}

const upgrade = { email: "ada@example.com", password: "correct horse battery", name: "Ada" };

describe("upgradeAnonymous with Better Auth's cookie cache on", () => {
  it("re-sets session_data, so a get-session answered from the cookie shows the full user at once", async () => {
    const { call, jar } = setUp({ session: { cookieCache: { enabled: true, maxAge: 300 } } });
    expect((await call("/sign-in/anonymous", {})).status).toBe(200);
    const cachedBefore = jar.get("better-auth.session_data");
    expect(cachedBefore).toBeTruthy();

    expect((await call("/upgrade-anonymous", upgrade)).status).toBe(200);
    expect(jar.get("better-auth.session_data")).not.toBe(cachedBefore);
    const session = (await (await call("/get-session")).json()) as { user: Record<string, unknown> };
    expect(session.user).toMatchObject({ email: upgrade.email, name: "Ada", isAnonymous: false });
  });
});

/** The user in a compact session_data cookie (base64url JSON), as Better Auth's get-session reads it. */
function cachedUser(cookie: string | undefined): Record<string, unknown> {
  const payload = JSON.parse(Buffer.from(decodeURIComponent(cookie ?? ""), "base64url").toString("utf8")) as {
    session: { user: Record<string, unknown> };
  };
  return payload.session.user;
}

describe("upgradeAnonymous with {} and the cookie cache on", () => {
  it("a guest that proved its email by code: the cached session flips to isAnonymous false at once", async () => {
    const { call, jar, codes } = setUp({ session: { cookieCache: { enabled: true, maxAge: 300 } } });
    await call("/sign-in/anonymous", {});
    await call("/email-otp/request-email-change", { newEmail: "grace@example.com" });
    const otp = codes.get("grace@example.com");
    expect((await call("/email-otp/change-email", { newEmail: "grace@example.com", otp })).status).toBe(200);
    expect(cachedUser(jar.get("better-auth.session_data"))).toMatchObject({ isAnonymous: true });

    expect((await call("/upgrade-anonymous", {})).status).toBe(200);
    expect(cachedUser(jar.get("better-auth.session_data"))).toMatchObject({
      email: "grace@example.com",
      emailVerified: true,
      isAnonymous: false,
    });
    const session = (await (await call("/get-session")).json()) as { user: Record<string, unknown> };
    expect(session.user).toMatchObject({ email: "grace@example.com", isAnonymous: false });
  });

  it("a guest with only its placeholder address is refused, and the cache still says guest", async () => {
    const { call, jar } = setUp({ session: { cookieCache: { enabled: true, maxAge: 300 } } });
    await call("/sign-in/anonymous", {});
    const res = await call("/upgrade-anonymous", {});
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("NOTHING_TO_SIGN_IN_WITH");
    expect(cachedUser(jar.get("better-auth.session_data"))).toMatchObject({ isAnonymous: true });
  });
});

describe("upgradeAnonymous when the config turns password sign-up off", () => {
  it.each([
    ["emailAndPassword disabled", { emailAndPassword: { enabled: false } }],
    ["sign-up disabled", { emailAndPassword: { enabled: true, disableSignUp: true } }],
  ])("refuses with EMAIL_PASSWORD_DISABLED (%s) and the guest stays a guest", async (_label, options) => {
    const { call } = setUp(options);
    expect((await call("/sign-in/anonymous", {})).status).toBe(200);
    const res = await call("/upgrade-anonymous", upgrade);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe("EMAIL_PASSWORD_DISABLED");
    const session = (await (await call("/get-session")).json()) as { user: Record<string, unknown> };
    expect(session.user.isAnonymous).toBe(true);
  });
});

describe("upgradeAnonymous password rules", () => {
  it("follows the configured maximum length", async () => {
    const { call } = setUp({ emailAndPassword: { enabled: true, maxPasswordLength: 20 } });
    await call("/sign-in/anonymous", {});
    const res = await call("/upgrade-anonymous", { ...upgrade, password: "x".repeat(21) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe("PASSWORD_TOO_LONG");
  });
});
