/**
 * Better Auth 1.7.16+ binds an email-change link to the user who asked for it (docs/UPGRADING.md):
 * opened in another user's signed-in browser it changes nothing. This holds the upgrade's claim to
 * account on Better Auth alone; authform's /account change (user.changeEmail on) is proved on a stack
 * in test/account/self-service.test.ts ("password and email"), and a guest's change by code, bound
 * the same way, in test/hardening/security-review-passwordless.test.ts.
 */
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { describe, expect, it } from "vitest";

const ORIGIN = "http://localhost:3000";

function setUp() {
  const links: { to: string; url: string }[] = [];

  const auth = betterAuth({
    baseURL: ORIGIN,
    basePath: "/auth/v1",
    secret: "a-test-secret-that-is-long-enough-for-better-auth",
    database: memoryAdapter({ user: [], session: [], account: [], verification: [] }),
    emailAndPassword: { enabled: true },
    user: { changeEmail: { enabled: true } },
    emailVerification: {
      async sendVerificationEmail({ user, url }) {
        links.push({ to: user.email, url });
      },
    },
    telemetry: { enabled: false },
  });
  /** A cookie-keeping browser for the instance. */
  function browser() {
    const jar = new Map<string, string>();
    return async (pathOrUrl: string, json?: unknown): Promise<Response> => {
      const headers = new Headers({ origin: ORIGIN });
      if (jar.size > 0) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
      if (json !== undefined) headers.set("content-type", "application/json");
      const url = pathOrUrl.startsWith("http") ? pathOrUrl : `${ORIGIN}/auth/v1${pathOrUrl}`;
      const res = await auth.handler(
        new Request(url, {
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
    };
  }
  return { browser, links };
}

async function emailOf(call: (path: string) => Promise<Response>): Promise<string | undefined> {
  return ((await (await call("/get-session")).json()) as { user?: { email: string } } | null)?.user?.email;
}

describe("an email-change link (Better Auth 1.7.29)", () => {
  it("does nothing in another signed-in user's browser, and still works for the user who asked", async () => {
    const { browser, links } = setUp();
    const alice = browser();
    const mallory = browser();
    const password = "correct horse battery";
    await alice("/sign-up/email", { email: "alice@example.com", password, name: "Alice" });
    await mallory("/sign-up/email", { email: "mallory@example.com", password, name: "Mallory" });

    const asked = await alice("/change-email", { newEmail: "alice.new@example.com", callbackURL: "/" });
    expect(asked.status, await asked.clone().text()).toBe(200);
    const link = links.find((l) => l.to === "alice.new@example.com")?.url;
    expect(link).toBeTruthy();

    const stolen = await mallory(link as string);
    expect(stolen.status).toBe(302);
    expect(stolen.headers.get("location")).toContain("error=INVALID_USER");
    expect(await emailOf(mallory)).toBe("mallory@example.com");
    expect(await emailOf(alice)).toBe("alice@example.com");

    const own = await alice(link as string);
    expect(own.headers.get("location")).not.toContain("error=");
    expect(await emailOf(alice)).toBe("alice.new@example.com");
  });
});
