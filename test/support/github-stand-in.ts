/**
 * A GitHub-shaped OAuth app host on loopback, faithful to GitHub's documented web flow
 * (docs.github.com, "Authorizing OAuth apps"): GET /login/oauth/authorize redirects back with
 * `code` and `state`; POST /login/oauth/access_token answers 200 with `error` for a bad code
 * (as GitHub does) and honours PKCE; GET /user and GET /user/emails need the bearer token, and
 * /user/emails lists unverified addresses too. Codes are single-use and expire.
 */
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { serveOnLoopback } from "./loopback-server.ts";

export interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
  /** The public profile email: GitHub leaves it null unless the user made one public. */
  email: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export interface GitHubStandIn {
  origin: string;
  /** Who is signed in at "GitHub" and authorizes the next request. */
  signInAs(user: GitHubUser): void;
  /** The next call to this endpoint answers 500 (a GitHub outage). */
  failNext(path: "/login/oauth/access_token" | "/user"): void;
  /** Requests seen, by path: what Better Auth actually called. */
  calls: string[];
  close(): Promise<void>;
}

interface Grant {
  user: GitHubUser;
  clientId: string;
  redirectUri: string;
  challenge?: string;
  expires: number;
}

export async function startGitHubStandIn(client: {
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
}): Promise<GitHubStandIn> {
  let current: GitHubUser | undefined;
  const failing = new Set<string>();
  const codes = new Map<string, Grant>();
  const tokens = new Map<string, GitHubUser>();
  const calls: string[] = [];

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    calls.push(`${req.method} ${url.pathname}`);
    if (failing.delete(url.pathname)) return json(res, 500, { message: "Internal Server Error" });

    if (req.method === "GET" && url.pathname === "/login/oauth/authorize") {
      const q = url.searchParams;
      // GitHub shows an error page (no redirect) for an unknown client or a foreign redirect_uri.
      if (q.get("client_id") !== client.clientId) return json(res, 404, { message: "unknown client_id" });
      const redirectUri = q.get("redirect_uri") ?? client.callbackUrl;
      if (redirectUri !== client.callbackUrl) return json(res, 400, { message: "redirect_uri mismatch" });
      if (!current) return json(res, 401, { message: "nobody signed in at the stand-in" });
      const code = randomBytes(10).toString("hex");
      const challenge = q.get("code_challenge") ?? undefined;
      if (challenge && q.get("code_challenge_method") !== "S256")
        return json(res, 400, { message: "S256 only" });
      codes.set(code, {
        user: current,
        clientId: client.clientId,
        redirectUri,
        ...(challenge ? { challenge } : {}),
        expires: Date.now() + 10 * 60_000,
      });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      if (q.get("state")) back.searchParams.set("state", q.get("state") as string);
      res.writeHead(302, { location: back.href });
      return void res.end();
    }

    if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const grant = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      if (form.get("client_id") !== client.clientId || form.get("client_secret") !== client.clientSecret) {
        return json(res, 200, { error: "incorrect_client_credentials" });
      }
      const verifier = form.get("code_verifier");
      const pkceOk =
        !grant?.challenge ||
        (verifier !== null && createHash("sha256").update(verifier).digest("base64url") === grant.challenge);
      if (!grant || grant.expires < Date.now() || !pkceOk || form.get("redirect_uri") !== grant.redirectUri) {
        return json(res, 200, {
          error: "bad_verification_code",
          error_description: "The code passed is incorrect or expired.",
        });
      }
      const token = `gho_${randomBytes(18).toString("hex")}`;
      tokens.set(token, grant.user);
      return json(res, 200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" });
    }

    const user = tokens.get((req.headers.authorization ?? "").replace(/^Bearer\s+/i, ""));
    if (req.method === "GET" && (url.pathname === "/user" || url.pathname === "/user/emails")) {
      if (!user) return json(res, 401, { message: "Requires authentication" });
      if (url.pathname === "/user") {
        return json(res, 200, {
          login: user.login,
          id: user.id,
          name: user.name,
          email: user.email,
          avatar_url: `https://avatars.githubusercontent.com/u/${user.id}`,
        });
      }
      return json(
        res,
        200,
        user.emails.map((e) => ({ ...e, visibility: e.primary ? "private" : null })),
      );
    }
    json(res, 404, { message: "Not Found" });
  }

  const server = await serveOnLoopback(handle, (res, err) => json(res, 500, { message: String(err) }));
  return {
    origin: server.origin,
    signInAs: (user) => {
      current = user;
    },
    failNext: (path) => {
      failing.add(path);
    },
    calls,
    close: server.close,
  };
}
