/**
 * One-time secrets and counters under concurrency, as an attacker sends them: many requests in
 * flight at once, each from its own address (cf-connecting-ip), against a real local stack. Each
 * secret must work exactly once, an OTP must get at most its 3 guesses judged, and a rate-limit
 * counter must let exactly `max` through. Run once D1 only and once with Workers KV
 * (one-time-secrets.test.ts, one-time-secrets-kv.test.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RATE_LIMIT_RULES } from "../../../worker/auth/rate-limit.ts";
import { Session } from "../../support/http.ts";
import { localD1File } from "../../support/local-d1.ts";
import {
  authorizationRequest,
  authorizeWithConsent,
  discoverIssuer,
  registerClient,
} from "../../support/oauth-browser.ts";
import { codeIn, lastEmailSeq, linkIn, waitForEmail } from "../../support/outbox.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../../support/stack.ts";
import { signUpUser, TEST_PASSWORD } from "../../support/users.ts";

/** How many copies of one secret are sent at once. */
const AT_ONCE = 20;
const REDIRECT_URI = "https://client.example.com/callback";
const SESSION_COOKIE = /^(__Secure-)?better-auth\.session_token=[^;]+/;

export interface StorageMode {
  /** For the stage name. */
  label: string;
  /** The fixture's `name`: the app whose local D1 file the test reads. */
  app: string;
  config: string;
}

/** A carrier-grade NAT address (100.64/10) per request, starting at a random point so runs differ. */
let ipCounter = Math.floor(Math.random() * 0x300000);
function freshIp(): string {
  const n = ipCounter++ % 0x400000;
  return `100.${64 + (n >> 16)}.${(n >> 8) & 0xff}.${n & 0xff}`;
}

/** Starts `count` requests before awaiting any of them, so all are in flight together. */
function atOnce(count: number, send: (i: number) => Promise<Response>): Promise<Response[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => send(i)));
}

/**
 * One 200 and every other answer a refusal: 400 from the one-time check, or 429 from the
 * per-account limit, which turns most of a burst away before the check.
 */
function refusedButOne(statuses: Record<number, number>): boolean {
  const { 200: ok = 0, 400: bad = 0, 429: limited = 0, ...other } = statuses;
  return ok === 1 && bad + limited === AT_ONCE - 1 && Object.keys(other).length === 0;
}

const hasSessionCookie = (res: Response) => res.headers.getSetCookie().some((c) => SESSION_COOKIE.test(c));

export function describeOneTimeSecrets(mode: StorageMode): void {
  const stage = uniqueStage(mode.label);
  const CONFIG = ["--config", mode.config];
  let stack: RunningStack;
  let db: string;

  const address = (label: string) => `${label}-${stage}@example.com`;
  const sql = <T = Record<string, unknown>>(query: string) => querySqlite<T>(db, query);
  const sessionIdsOf = async (userId: string) =>
    (await sql<{ id: string }>(`SELECT id FROM session WHERE userId = '${userId}'`)).map((r) => r.id);
  /** Sessions of the user in D1 that were not among `before` (a first email proof also ends the older ones). */
  const newSessions = async (userId: string, before: string[]) =>
    (await sessionIdsOf(userId)).filter((id) => !before.includes(id));

  function post(path: string, body: unknown, ip = freshIp()): Promise<Response> {
    return fetch(`${stack.url}/auth/v1${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: stack.url, "cf-connecting-ip": ip },
      body: JSON.stringify(body),
      redirect: "manual",
    });
  }

  function get(url: string, ip = freshIp()): Promise<Response> {
    return fetch(url, { headers: { "cf-connecting-ip": ip }, redirect: "manual" });
  }

  async function emailedCode(email: string, type: string, path = "/email-otp/send-verification-otp") {
    const after = await lastEmailSeq(stage);
    const sent = await post(path, path.endsWith("send-verification-otp") ? { email, type } : { email });
    expect(sent.status, await sent.clone().text()).toBe(200);
    return codeIn(await waitForEmail(stage, email, { after }));
  }

  async function emailedLink(path: string, body: unknown, email: string, linkPath: string) {
    const after = await lastEmailSeq(stage);
    const sent = await post(path, body);
    expect(sent.status, await sent.clone().text()).toBe(200);
    return linkIn(await waitForEmail(stage, email, { after }), linkPath);
  }

  /** Answers counted by status; the bodies of any 5xx are kept for the failure message. */
  async function statusesOf(responses: Response[]): Promise<Record<number, number>> {
    const counts: Record<number, number> = {};
    for (const res of responses) {
      counts[res.status] = (counts[res.status] ?? 0) + 1;
      if (res.status >= 500) serverErrors.push(`${res.status} ${await res.text()}`);
      else await res.body?.cancel();
    }
    return counts;
  }
  const serverErrors: string[] = [];
  afterEach(() => {
    expect(serverErrors.splice(0), "5xx answers (bodies)").toEqual([]);
  });

  beforeAll(async () => {
    stack = await startStack(stage, { args: CONFIG });
    db = await localD1File(mode.app, stage);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe("email codes (OTP)", () => {
    /** The stored attempt count of the user's sign-in code, or null once the code is gone. */
    async function attemptsOf(email: string): Promise<number | null> {
      const [row] = await sql<{ value: string }>(
        `SELECT value FROM verification WHERE identifier = 'sign-in-otp-${email}'`,
      );
      return row ? Number(row.value.slice(row.value.lastIndexOf(":") + 1)) : null;
    }

    it(`judges at most 3 guesses however many arrive at once (${AT_ONCE} per wave); then even the right code is dead`, async () => {
      const user = await signUpUser(stack.url, "Otto", address("otto"));
      const code = await emailedCode(user.email, "sign-in");
      const before = await sessionIdsOf(user.id);
      const wrong = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0");
      const judged: (number | null)[] = [];
      let tooMany = 0;
      let signedIn = 0;
      for (let wave = 0; wave < 10 && tooMany === 0; wave++) {
        const answers = await atOnce(AT_ONCE, (i) =>
          post("/sign-in/email-otp", { email: user.email, otp: wrong(wave * AT_ONCE + i) }),
        );
        // The per-account limit (account-limits.test.ts) lets a few through per wave, then asks to wait.
        let wait = 0;
        for (const res of answers) {
          const body = (await res.json()) as { code?: string };
          if (res.status === 200) signedIn++;
          if (body.code === "TOO_MANY_ATTEMPTS") tooMany++;
          if (res.status === 429) wait = Math.max(wait, Number(res.headers.get("retry-after") ?? 0));
        }
        // Its wait is not what is tested here: play it by moving the waiting row's clock back by
        // Retry-After (what waiting does; the limiter compares the time now with nextAllowedAt, ms).
        if (wait > 0) {
          const moved = await sql(
            `UPDATE accountAttempt SET nextAllowedAt = nextAllowedAt - ${wait * 1000}
             WHERE nextAllowedAt > ${Date.now()} RETURNING key`,
          );
          // At most this account (none if its wait already ended on a slow machine).
          expect(moved.length).toBeLessThanOrEqual(1);
        }
        // Each judged guess adds one to the stored count, one at a time; racers are refused unjudged.
        judged.push(await attemptsOf(user.email));
      }
      expect(signedIn).toBe(0);
      // A wave may use all three guesses and end the code (null): the account limit lets a few
      // through per wave, and how many depends on timing.
      expect(
        judged.every((n) => n === null || n <= 3),
        `stored attempts per wave: ${judged}`,
      ).toBe(true);
      // Exactly one caller found the count at 3; the code was deleted then.
      expect(tooMany).toBe(1);
      expect(await attemptsOf(user.email)).toBeNull();
      const right = await post("/sign-in/email-otp", { email: user.email, otp: code });
      expect(right.status).toBeGreaterThanOrEqual(400);
      expect(hasSessionCookie(right)).toBe(false);
      expect(await newSessions(user.id, before)).toEqual([]);
    });

    it(`signs in once when the right code is sent ${AT_ONCE} times at once`, async () => {
      const user = await signUpUser(stack.url, "Oona", address("oona"));
      const code = await emailedCode(user.email, "sign-in");
      const before = await sessionIdsOf(user.id);
      const answers = await atOnce(AT_ONCE, () =>
        post("/sign-in/email-otp", { email: user.email, otp: code }),
      );
      expect(answers.filter(hasSessionCookie)).toHaveLength(1);
      const statuses = await statusesOf(answers);
      expect(refusedButOne(statuses), JSON.stringify(statuses)).toBe(true);
      expect(await newSessions(user.id, before)).toHaveLength(1);
    });

    it(`resets the password once when one reset code is sent ${AT_ONCE} times at once, each with its own password`, async () => {
      const user = await signUpUser(stack.url, "Rita", address("rita"));
      const code = await emailedCode(user.email, "forget-password", "/email-otp/request-password-reset");
      const password = (i: number) => `reset by code, try ${i}`;
      const answers = await atOnce(AT_ONCE, (i) =>
        post("/email-otp/reset-password", { email: user.email, otp: code, password: password(i) }),
      );
      const winners = answers.flatMap((res, i) => (res.status === 200 ? [i] : []));
      const statuses = await statusesOf(answers);
      expect(refusedButOne(statuses), JSON.stringify(statuses)).toBe(true);
      const winner = winners[0] as number;
      expect((await post("/sign-in/email", { email: user.email, password: password(winner) })).status).toBe(
        200,
      );
      const loser = (winner + 1) % AT_ONCE;
      expect((await post("/sign-in/email", { email: user.email, password: password(loser) })).status).toBe(
        401,
      );
    });
  });

  describe("email links", () => {
    it(`signs in once when one magic link is opened ${AT_ONCE} times at once`, async () => {
      const user = await signUpUser(stack.url, "Mia", address("mia"));
      const link = await emailedLink(
        "/sign-in/magic-link",
        { email: user.email, callbackURL: "/dashboard" },
        user.email,
        "/auth/v1/magic-link/verify",
      );
      const before = await sessionIdsOf(user.id);
      const answers = await atOnce(AT_ONCE, () => get(link));
      expect(answers.filter(hasSessionCookie)).toHaveLength(1);
      const refused = answers.filter((res) => res.headers.get("location")?.includes("error=INVALID_TOKEN"));
      expect(refused).toHaveLength(AT_ONCE - 1);
      expect(await newSessions(user.id, before)).toHaveLength(1);
    });

    it(`resets the password once when one reset link's token is sent ${AT_ONCE} times at once`, async () => {
      const user = await signUpUser(stack.url, "Raul", address("raul"));
      const link = await emailedLink(
        "/request-password-reset",
        { email: user.email, redirectTo: "/reset" },
        user.email,
        "/auth/v1/reset-password/",
      );
      const landing = new URL((await get(link)).headers.get("location") as string);
      const token = landing.searchParams.get("token") as string;
      expect(token).toBeTruthy();
      const password = (i: number) => `reset by link, try ${i}`;
      const answers = await atOnce(AT_ONCE, (i) =>
        post("/reset-password", { token, newPassword: password(i) }),
      );
      const winner = answers.findIndex((res) => res.status === 200);
      expect(await statusesOf(answers)).toEqual({ 200: 1, 400: AT_ONCE - 1 });
      expect((await post("/sign-in/email", { email: user.email, password: password(winner) })).status).toBe(
        200,
      );
      const loser = (winner + 1) % AT_ONCE;
      expect((await post("/sign-in/email", { email: user.email, password: password(loser) })).status).toBe(
        401,
      );
      expect((await post("/sign-in/email", { email: user.email, password: TEST_PASSWORD })).status).toBe(401);
    });

    it(`verifies the address once when one verification link is opened ${AT_ONCE} times at once`, async () => {
      const user = await signUpUser(stack.url, "Vera", address("vera"));
      const link = await emailedLink(
        "/send-verification-email",
        { email: user.email, callbackURL: "/verified" },
        user.email,
        "/auth/v1/verify-email",
      );
      const before = await sessionIdsOf(user.id);
      const answers = await atOnce(AT_ONCE, () => get(link));
      const landings = answers.map((res) => res.headers.get("location"));
      expect(landings.filter((l) => l === "/verified")).toHaveLength(1);
      expect(landings.filter((l) => l === "/verified?error=INVALID_TOKEN")).toHaveLength(AT_ONCE - 1);
      expect(answers.filter(hasSessionCookie)).toHaveLength(0);
      expect(await newSessions(user.id, before)).toEqual([]);
      // Used is used: a later click is refused too.
      expect((await get(link)).headers.get("location")).toBe("/verified?error=INVALID_TOKEN");
      const [row] = await sql<{ emailVerified: number }>(
        `SELECT emailVerified FROM user WHERE id = '${user.id}'`,
      );
      expect(row?.emailVerified).toBe(1);
    });
  });

  describe("OAuth authorization codes and refresh tokens", () => {
    /** A signed-up user who consented to a newly registered client, with a fresh code for it. */
    async function consentedClient(name: string) {
      const as = await discoverIssuer(stack.url);
      const browser = new Session(stack.url);
      const email = address(name);
      const signedUp = await browser.post("/auth/v1/sign-up/email", { name, email, password: TEST_PASSWORD });
      expect(signedUp.status).toBe(200);
      const { client } = await registerClient(
        as,
        { client_name: "Racing client", redirect_uris: [REDIRECT_URI] },
        freshIp(),
      );
      const request = await authorizationRequest(as, {
        clientId: client.client_id,
        redirectUri: REDIRECT_URI,
        scope: "openid profile email offline_access",
        resource: stack.url,
      });
      const landing = new URL(await authorizeWithConsent(browser, request.url.href));
      const code = landing.searchParams.get("code");
      expect(code, landing.href).toBeTruthy();
      const basic = `Basic ${btoa(`${client.client_id}:${client.client_secret as string}`)}`;
      const token = (body: Record<string, string>) =>
        fetch(as.token_endpoint as string, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            authorization: basic,
            "cf-connecting-ip": freshIp(),
          },
          body: new URLSearchParams(body),
        });
      return { client, code: code as string, verifier: request.verifier, token };
    }

    const exchange = (client: Awaited<ReturnType<typeof consentedClient>>) =>
      client.token({
        grant_type: "authorization_code",
        code: client.code,
        code_verifier: client.verifier,
        redirect_uri: REDIRECT_URI,
        resource: stack.url,
      });
    const refreshRows = (clientId: string) =>
      sql<{ revoked: number | null }>(`SELECT revoked FROM oauthRefreshToken WHERE clientId = '${clientId}'`);

    it(`issues tokens once for one authorization code sent ${AT_ONCE} times at once`, async () => {
      const racing = await consentedClient("olga");
      const exchanges = await atOnce(AT_ONCE, () => exchange(racing));
      const issued = exchanges.filter((res) => res.status === 200);
      expect(issued).toHaveLength(1);
      const tokens = (await (issued[0] as Response).json()) as { access_token?: string };
      expect(tokens.access_token).toBeTruthy();
      const refused = exchanges.filter((res) => res.status !== 200);
      expect(await statusesOf(refused)).toEqual({ 400: AT_ONCE - 1 });
      // At most one grant was stored; a replayed code also revokes what the code issued (RFC 6749 §4.1.2),
      // so a racer may already have removed it.
      expect((await refreshRows(racing.client.client_id)).length).toBeLessThanOrEqual(1);
    });

    it(`rotates a refresh token once when it is sent ${AT_ONCE} times at once`, async () => {
      const rp = await consentedClient("omar");
      const first = await exchange(rp);
      expect(first.status).toBe(200);
      const { refresh_token } = (await first.json()) as { refresh_token?: string };
      expect(refresh_token).toBeTruthy();
      const refreshes = await atOnce(AT_ONCE, () =>
        rp.token({
          grant_type: "refresh_token",
          refresh_token: refresh_token as string,
          resource: stack.url,
        }),
      );
      const rotated = refreshes.filter((res) => res.status === 200);
      expect(rotated).toHaveLength(1);
      expect(
        ((await (rotated[0] as Response).json()) as { refresh_token?: string }).refresh_token,
      ).toBeTruthy();
      expect(await statusesOf(refreshes.filter((res) => res.status !== 200))).toEqual({ 400: AT_ONCE - 1 });
      // The used token is revoked and at most one replaces it (a replay of a rotated token may end the family).
      const rows = await refreshRows(rp.client.client_id);
      expect(rows.length).toBeLessThanOrEqual(2);
      expect(rows.filter((r) => r.revoked === null).length).toBeLessThanOrEqual(1);
    });
  });

  describe("rate-limit counters", () => {
    it("lets exactly `max` sign-ins through when 50 arrive at once from one address", async () => {
      const ip = freshIp();
      const { max } = RATE_LIMIT_RULES["/sign-in/email"] as { max: number };
      const answers = await atOnce(50, (i) =>
        post("/sign-in/email", { email: address(`nobody-${i}`), password: "wrong-wrong-wrong" }, ip),
      );
      expect(await statusesOf(answers)).toEqual({ 401: max, 429: 50 - max });
      expect(await sql(`SELECT count FROM rateLimit WHERE key = '${ip}|/sign-in/email'`)).toEqual([
        { count: max },
      ]);
    });
  });
}
