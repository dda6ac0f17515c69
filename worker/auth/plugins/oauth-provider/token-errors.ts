/**
 * Two token endpoint refusals in the codes the specs give them, so clients act on them
 * (@better-auth/oauth-provider 1.7.29 answers a wrong code_verifier right, these two not):
 * - a code redeemed without its `code_verifier`: Better Auth says 400 `invalid_request`; the grant
 *   does not verify without it, which RFC 7636 §4.6 and OAuth 2.1 answer with 400 `invalid_grant`.
 *   Every code authform issues carries a code_challenge (PKCE S256 is required at authorize).
 * - `invalid_client` (unknown, deleted or disabled client, bad secret): Better Auth sends 401 only
 *   when the client authenticated with the Authorization header, 400 otherwise. RFC 6749 §5.2
 *   allows 401 for every failed client authentication, and a public client (every MCP client)
 *   whose registration is gone must see it to register again; 401 then carries a challenge.
 * Rewritten on the way out, so Better Auth's checks and their order stay as they are.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../../spec.ts";

interface OAuthErrorBody {
  error?: unknown;
  error_description?: unknown;
}

/** The challenge Better Auth itself sends with its 401 invalid_client. */
const BASIC_CHALLENGE = 'Basic realm="oauth"';

/** Better Auth's refusals of a code redeemed without a verifier all name code_verifier or PKCE. */
const ABOUT_VERIFIER = /code_verifier|PKCE/;

export function tokenErrors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const sent = c.req.method === "POST" ? await tokenRequestParams(c.req.raw.clone()) : undefined;
    await next();
    const res = c.res;
    if (res.status !== 400 || sent === undefined) return;
    const body = (await res
      .clone()
      .json()
      .catch(() => undefined)) as OAuthErrorBody | undefined;
    if (body === undefined) return;
    const fixed = rewrite(body, sent);
    if (fixed === undefined) return;
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    if (fixed.status === 401 && !headers.has("www-authenticate"))
      headers.set("www-authenticate", BASIC_CHALLENGE);
    c.res = undefined;
    c.res = new Response(JSON.stringify(fixed.body), { status: fixed.status, headers });
  };
}

/** The corrected refusal, or undefined when Better Auth's stands. */
export function rewrite(
  body: OAuthErrorBody,
  sent: URLSearchParams,
): { status: number; body: OAuthErrorBody } | undefined {
  if (body.error === "invalid_client") return { status: 401, body };
  const missingVerifier =
    body.error === "invalid_request" &&
    sent.get("grant_type") === "authorization_code" &&
    sent.has("code") &&
    !sent.get("code_verifier") &&
    typeof body.error_description === "string" &&
    ABOUT_VERIFIER.test(body.error_description);
  return missingVerifier ? { status: 400, body: { ...body, error: "invalid_grant" } } : undefined;
}

/** The token request's parameters: a form (RFC 6749), or the JSON Better Auth also takes. */
async function tokenRequestParams(req: Pick<Request, "headers" | "text">): Promise<URLSearchParams> {
  const type = req.headers.get("content-type") ?? "";
  const text = await req.text().catch(() => "");
  if (!type.includes("application/json")) return new URLSearchParams(text);
  try {
    const json = JSON.parse(text) as unknown;
    const params = new URLSearchParams();
    if (typeof json === "object" && json !== null) {
      for (const [key, value] of Object.entries(json)) if (typeof value === "string") params.set(key, value);
    }
    return params;
  } catch {
    return new URLSearchParams();
  }
}
