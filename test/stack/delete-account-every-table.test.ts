/**
 * Deleting an account leaves nothing of it in any table: a user with two sessions, an API key, a
 * membership, two-factor on, a pending two-factor sign-in, an OAuth client they registered and an
 * app they authorized (consent, code, tokens) deletes their account; then every column of every
 * table in the stage's D1 file is searched for their id and their address: only the audit log,
 * the security record kept until its retention ends, may still name them.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { lastEmailSeq, linkIn, waitForEmail } from "../support/outbox.ts";
import { querySqlite } from "../support/stack.ts";
import { stackPerFile } from "../support/stack-per-file.ts";
import { Authenticator } from "../support/totp.ts";

const file = stackPerFile("del-all", "test/fixtures/delete-account-every-table.config.ts");
const PASSWORD = "correct horse battery";
const CALLBACK = "https://client.example.com/callback";
// RFC 7636's example pair.
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/** Where a step sends the browser: a 302's Location, or Better Auth's `{ redirect, url }` to fetch(). */
async function nextUrl(res: Response): Promise<string> {
  const location = res.headers.get("location");
  if (location) return location;
  const body = (await res.json()) as { url?: string };
  if (!body.url) throw new Error(`no next URL: ${res.status} ${JSON.stringify(body)}`);
  return body.url;
}

async function signUp(name: string, email: string): Promise<{ session: Session; id: string }> {
  const session = new Session(file.stack.url);
  const res = await session.post("/auth/v1/sign-up/email", { name, email, password: PASSWORD });
  expect(res.status, await res.clone().text()).toBe(200);
  return { session, id: ((await res.json()) as { user: { id: string } }).user.id };
}

/**
 * Every (table, column) whose value is one of `values`, with the count, across the whole database:
 * a few bun processes (one query per 200 columns), not one per column.
 */
async function mentions(db: string, values: string[]): Promise<Record<string, number>> {
  const columns = await querySqlite<{ t: string; c: string }>(
    db,
    "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_cf_%' AND m.name <> 'd1_migrations'",
  );
  expect(columns.length).toBeGreaterThan(0);
  const found: Record<string, number> = {};
  // SQLite allows 500 terms in one compound SELECT.
  for (let i = 0; i < columns.length; i += 200) {
    const counts = columns.slice(i, i + 200).map(({ t, c }) => {
      const ors = values.map((v) => `instr(CAST("${c}" AS TEXT), '${v}') > 0`).join(" OR ");
      return `SELECT '${t}.${c}' AS k, count(*) AS n FROM "${t}" WHERE ${ors}`;
    });
    for (const { k, n } of await querySqlite<{ k: string; n: number }>(db, counts.join(" UNION ALL ")))
      if (n > 0) found[k] = n;
  }
  return found;
}

describe("deleting an account", () => {
  it("leaves no row anywhere that names the user's id or address", async () => {
    const email = `leaver-${file.stage}@example.com`;
    const { session, id } = await signUp("Leaver", email);
    const db = await localD1File("delete-account-every-table-test", file.stage);

    // A second session, an API key.
    const other = new Session(file.stack.url);
    expect((await other.post("/auth/v1/sign-in/email", { email, password: PASSWORD })).status).toBe(200);
    expect((await session.post("/auth/v1/api-key/create", { name: "ci" })).status).toBe(200);

    // A membership: another person's organization invites them, and they accept.
    const owner = await signUp("Owner", `owner-${file.stage}@example.com`);
    const org = await owner.session.post("/auth/v1/organization/create", {
      name: "Acme",
      slug: `acme-${file.stage}`,
    });
    expect(org.status).toBe(200);
    const after = await lastEmailSeq(file.stage);
    const invited = await owner.session.post("/auth/v1/organization/invite-member", {
      email,
      role: "member",
    });
    expect(invited.status, await invited.clone().text()).toBe(200);
    const invitationId = new URL(
      linkIn(await waitForEmail(file.stage, email, { after }), "/accept-invitation?id="),
    ).searchParams.get("id");
    const accepted = await session.post("/auth/v1/organization/accept-invitation", { invitationId });
    expect(accepted.status, await accepted.clone().text()).toBe(200);

    // An OAuth client they registered, and an app they authorized: consent, then a code for tokens.
    const registered = await session.post("/auth/v1/oauth2/register", {
      client_name: "Leaver's tool",
      redirect_uris: [CALLBACK],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    });
    expect(registered.status, await registered.clone().text()).toBe(201);
    const client = (await registered.json()) as { client_id: string; client_secret: string };
    const authorize = `/auth/v1/oauth2/authorize?${new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: CALLBACK,
      response_type: "code",
      scope: "openid profile email offline_access",
      state: "s",
      code_challenge: CHALLENGE,
      code_challenge_method: "S256",
    })}`;
    const consent = new URL(await nextUrl(await session.get(authorize)));
    expect(consent.pathname).toBe("/consent");
    const allowed = await session.post("/auth/v1/oauth2/consent", {
      accept: true,
      oauth_query: consent.searchParams.get("oauth_query"),
    });
    const code = new URL(await nextUrl(allowed)).searchParams.get("code");
    expect(code).toBeTruthy();
    const token = await fetch(`${file.stack.url}/auth/v1/oauth2/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa(`${client.client_id}:${client.client_secret}`)}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: code as string,
        redirect_uri: CALLBACK,
        code_verifier: VERIFIER,
      }),
    });
    expect(token.status, await token.clone().text()).toBe(200);

    // Two-factor on, and a sign-in waiting at the second factor.
    const enable = await session.post("/auth/v1/two-factor/enable", { password: PASSWORD });
    const { totpURI } = (await enable.json()) as { totpURI: string };
    const app = Authenticator.fromBase32(new URL(totpURI).searchParams.get("secret") ?? "");
    expect(
      (await session.post("/auth/v1/two-factor/verify-totp", { code: await app.nextCode() })).status,
    ).toBe(200);
    const pending = await new Session(file.stack.url).post("/auth/v1/sign-in/email", {
      email,
      password: PASSWORD,
    });
    expect(await pending.json()).toMatchObject({ twoFactorRedirect: true });

    const before = await mentions(db, [id, email]);
    for (const table of [
      "session",
      "account",
      "apikey",
      "member",
      "invitation",
      "twoFactor",
      "verification",
      "oauthConsent",
      "oauthAccessToken",
    ])
      expect(
        Object.keys(before).some((k) => k.startsWith(`${table}.`)),
        `${table} has a row to delete`,
      ).toBe(true);

    const deleted = await session.post("/auth/v1/delete-user", { password: PASSWORD });
    expect(deleted.status, await deleted.clone().text()).toBe(200);
    // The audit log keeps its events until its retention ends (worker/auth/delete-account.ts).
    const left = await mentions(db, [id, email]);
    expect(Object.keys(left).filter((k) => !k.startsWith("auditLog."))).toEqual([]);
  });
});
