/**
 * The seed's contract with the Account SPA: Better Auth sends the browser to
 * `${ACCOUNT_URL}/login?<signed request>` and `${ACCOUNT_URL}/consent?<signed request>`; authform adds
 * `oauth_query` (the signed request, verbatim: what the page posts back with sign-in or consent) and,
 * on the login page, `redirect` (the authorization URL to resume after signing in). Better Auth
 * ignores parameters it did not sign, so both are safe additions.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../../spec.ts";

/** What Better Auth adds to the authorization request it signs; not part of the client's request. */
const SIGNING_PARAMS = ["sig", "exp", "ba_iat", "ba_param", "ba_pl"];

export interface AccountPages {
  loginPage: string;
  consentPage: string;
  /** Absolute URL of /oauth2/authorize. */
  authorizeUrl: string;
}

/** The page URL with authform's parameters added, or undefined when it is not a login or consent URL. */
export function decorateAccountUrl(url: string, pages: AccountPages): string | undefined {
  const page = [pages.loginPage, pages.consentPage].find((p) => url.startsWith(`${p}?`));
  if (page === undefined) return undefined;
  const signed = url.slice(page.length + 1);
  const params = new URLSearchParams(signed);
  if (params.has("oauth_query") || !params.has("sig")) return undefined;
  const extra = new URLSearchParams({ oauth_query: signed });
  if (page === pages.loginPage) extra.set("redirect", resumeUrl(params, pages.authorizeUrl));
  return `${url}&${extra}`;
}

/**
 * The client's authorization request again, for after sign-in: without the signing parameters, and
 * without what sent the user to the login page (prompt=login/create, max_age), which a fresh sign-in
 * has just satisfied — as Better Auth's own sign-in continuation does.
 */
function resumeUrl(signed: URLSearchParams, authorizeUrl: string): string {
  const params = new URLSearchParams(signed);
  for (const name of [...SIGNING_PARAMS, "max_age"]) params.delete(name);
  const prompt = params
    .get("prompt")
    ?.split(" ")
    .filter((p) => p !== "" && p !== "login" && p !== "create");
  params.delete("prompt");
  if (prompt && prompt.length > 0) params.set("prompt", prompt.join(" "));
  return `${authorizeUrl}?${params}`;
}

/**
 * Applies decorateAccountUrl to Better Auth's answers: a 3xx Location, or the `{ redirect: true, url }`
 * JSON it gives fetch() callers (authorize, and sign-in/sign-up/passkey calls that carry oauth_query).
 */
export function accountRedirects(
  pages: (env: AppEnv["Bindings"]) => AccountPages,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const res = c.res;
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      const decorated = decorateAccountUrl(location, pages(c.env));
      if (decorated) {
        const headers = copyHeaders(res.headers);
        headers.set("location", decorated);
        replaceResponse(c, new Response(res.body, { status: res.status, headers }));
      }
      return;
    }
    if (res.status !== 200 || !res.headers.get("content-type")?.includes("application/json")) return;
    // Sign-in, sign-up, consent and continue are POSTs; authorize may be a GET. get-session and other reads are skipped.
    if (c.req.method !== "POST" && !c.req.path.endsWith("/oauth2/authorize")) return;
    const text = await res.clone().text();
    if (!text.includes('"redirect":true')) return;
    const body = JSON.parse(text) as { redirect?: unknown; url?: unknown };
    if (body.redirect !== true || typeof body.url !== "string") return;
    const decorated = decorateAccountUrl(body.url, pages(c.env));
    if (!decorated) return;
    const headers = copyHeaders(res.headers);
    headers.delete("content-length");
    replaceResponse(c, new Response(JSON.stringify({ ...body, url: decorated }), { status: 200, headers }));
  };
}

/** A copy that keeps every Set-Cookie line separate (sign-in answers set the session cookie here). */
function copyHeaders(from: Headers): Headers {
  const to = new Headers();
  for (const [name, value] of from) if (name !== "set-cookie") to.append(name, value);
  for (const cookie of from.getSetCookie()) to.append("set-cookie", cookie);
  return to;
}

/** Hono merges the old response's headers into a new one (Location included) unless it is cleared first. */
function replaceResponse(c: { res: Response | undefined }, res: Response) {
  c.res = undefined;
  c.res = res;
}
