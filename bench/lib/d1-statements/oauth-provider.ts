/**
 * The OAuth 2.1 / OIDC provider as a client and a signed-in browser drive it over plain HTTP:
 * dynamic registration, authorize (to the consent page), consent, the code exchanged for tokens
 * with its PKCE verifier, then userinfo with the access token.
 */
import { createHash, randomBytes } from "node:crypto";
import { type Timed, timed } from "../http.ts";
import type { SignedInUser } from "./account.ts";
import { expectThat, jsonOf, type RouteCounter } from "./route-counter.ts";

const REDIRECT_URI = "https://client.example.com/callback";
const SCOPE = "openid profile email";

/** Where a step sends the browser: a 302's Location, or fetch's `{ redirect: true, url }`. */
function nextUrl(label: string, r: Timed): URL {
  const target =
    r.status >= 300 && r.status < 400 ? r.headers.get("location") : jsonOf<{ url?: string }>(r).url;
  if (!target) throw new Error(`${label}: no next URL in ${r.status} ${r.body.slice(0, 300)}`);
  return new URL(target);
}

export async function countOAuthProviderRoutes(counter: RouteCounter, user: SignedInUser): Promise<void> {
  const { cookie } = user;
  const registered = await counter.post(
    "POST /auth/v1/oauth2/register",
    "/auth/v1/oauth2/register",
    {
      client_name: "Counted CRM",
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
    {},
    201,
  );
  const client = jsonOf<{ client_id: string; client_secret?: string; client_name?: string }>(registered);
  expectThat(
    "oauth2/register",
    client.client_name === "Counted CRM" && !!client.client_secret,
    "a confidential client",
    registered,
  );

  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(16).toString("base64url");
  const query = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: SCOPE,
    state,
    nonce: randomBytes(16).toString("base64url"),
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    resource: counter.base,
  });
  // A client this user never consented to: authorize redirects the browser to the consent page.
  const authorize = await counter.get(
    "GET /auth/v1/oauth2/authorize",
    `/auth/v1/oauth2/authorize?${query}`,
    { cookie },
    302,
  );
  const consentPage = nextUrl("oauth2/authorize", authorize);
  expectThat("oauth2/authorize", consentPage.pathname === "/consent", "the consent page", authorize);

  const consent = await counter.post(
    "POST /auth/v1/oauth2/consent",
    "/auth/v1/oauth2/consent",
    { accept: true, oauth_query: consentPage.searchParams.get("oauth_query") },
    { cookie },
  );
  const callback = nextUrl("oauth2/consent", consent);
  const code = callback.searchParams.get("code");
  expectThat(
    "oauth2/consent",
    callback.searchParams.get("state") === state && !!code,
    "a code for the client",
    consent,
  );

  const token = await counter.count(
    "POST /auth/v1/oauth2/token",
    await timed(counter.base, "/auth/v1/oauth2/token", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${btoa(`${client.client_id}:${client.client_secret}`)}`,
      },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: code as string,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        resource: counter.base,
      }),
    }),
  );
  const tokens = jsonOf<{ access_token?: string; id_token?: string }>(token);
  expectThat(
    "oauth2/token",
    !!tokens.access_token && !!tokens.id_token,
    "an access token and an ID token",
    token,
  );

  const info = await counter.get("GET /auth/v1/oauth2/userinfo", "/auth/v1/oauth2/userinfo", {
    authorization: `Bearer ${tokens.access_token}`,
  });
  expectThat(
    "oauth2/userinfo",
    jsonOf<{ email?: string }>(info).email === user.credentials.email,
    "the user's email",
    info,
  );
}
