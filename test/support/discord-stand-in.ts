/**
 * A Discord-shaped OAuth2 host on loopback, faithful to Discord's documented flow
 * (discord.com/developers/docs/topics/oauth2): GET /api/oauth2/authorize redirects back with `code`
 * and `state`; POST /api/oauth2/token (form body, client credentials in the body or Basic) answers
 * 400 `invalid_grant` for a bad, used or expired code; GET /api/users/@me needs the bearer token and
 * carries `email` and `verified` only with the `email` scope. Codes are single-use.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { serveOnLoopback } from "./loopback-server.ts";

export interface DiscordUser {
  /** A snowflake, as a string. */
  id: string;
  username: string;
  global_name: string | null;
  email: string | null;
  /** Whether the email is verified on this Discord account. */
  verified: boolean;
}

export interface DiscordStandIn {
  origin: string;
  /** Who is signed in at "Discord" and authorizes the next request. */
  signInAs(user: DiscordUser): void;
  /** Requests seen, as "METHOD path". */
  calls: string[];
  close(): Promise<void>;
}

interface Grant {
  user: DiscordUser;
  redirectUri: string;
  scopes: string[];
  expires: number;
}

export async function startDiscordStandIn(client: {
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
}): Promise<DiscordStandIn> {
  let current: DiscordUser | undefined;
  const codes = new Map<string, Grant>();
  const tokens = new Map<string, Grant>();
  const calls: string[] = [];

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    // Discord answers /users/@me however the @ is written (clients send %40).
    const path = decodeURIComponent(url.pathname);
    calls.push(`${req.method} ${path}`);

    if (req.method === "GET" && path === "/api/oauth2/authorize") {
      const q = url.searchParams;
      if (q.get("client_id") !== client.clientId)
        return json(res, 400, { client_id: ["Unknown application"] });
      if (q.get("redirect_uri") !== client.callbackUrl)
        return json(res, 400, { redirect_uri: ["Invalid OAuth2 redirect_uri"] });
      if (q.get("response_type") !== "code")
        return json(res, 400, { response_type: ["Invalid response type"] });
      if (!current) return json(res, 401, { message: "nobody signed in at the stand-in" });
      const code = randomBytes(15).toString("base64url");
      codes.set(code, {
        user: current,
        redirectUri: client.callbackUrl,
        scopes: (q.get("scope") ?? "").split(" ").filter(Boolean),
        expires: Date.now() + 10 * 60_000,
      });
      const back = new URL(client.callbackUrl);
      back.searchParams.set("code", code);
      if (q.get("state")) back.searchParams.set("state", q.get("state") as string);
      res.writeHead(302, { location: back.href });
      return void res.end();
    }

    if (req.method === "POST" && path === "/api/oauth2/token") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const [id, secret] = basic
        ? Buffer.from(basic, "base64").toString("utf8").split(":").map(decodeURIComponent)
        : [form.get("client_id"), form.get("client_secret")];
      if (id !== client.clientId || secret !== client.clientSecret)
        return json(res, 401, { error: "invalid_client" });
      const code = form.get("code") ?? "";
      const grant = codes.get(code);
      codes.delete(code);
      if (
        form.get("grant_type") !== "authorization_code" ||
        !grant ||
        grant.expires < Date.now() ||
        form.get("redirect_uri") !== grant.redirectUri
      ) {
        return json(res, 400, { error: "invalid_grant", error_description: 'Invalid "code" in request.' });
      }
      const token = randomBytes(15).toString("base64url");
      tokens.set(token, grant);
      return json(res, 200, {
        token_type: "Bearer",
        access_token: token,
        expires_in: 604800,
        refresh_token: randomBytes(15).toString("base64url"),
        scope: grant.scopes.join(" "),
      });
    }

    if (req.method === "GET" && path === "/api/users/@me") {
      const grant = tokens.get((req.headers.authorization ?? "").replace(/^Bearer\s+/i, ""));
      if (!grant) return json(res, 401, { message: "401: Unauthorized", code: 0 });
      const { user, scopes } = grant;
      return json(res, 200, {
        id: user.id,
        username: user.username,
        discriminator: "0",
        global_name: user.global_name,
        avatar: null,
        mfa_enabled: false,
        locale: "en-US",
        // Only with the email scope, as Discord documents.
        ...(scopes.includes("email") ? { email: user.email, verified: user.verified } : {}),
      });
    }
    json(res, 404, { message: "404: Not Found", code: 0 });
  }

  const server = await serveOnLoopback(handle, (res, err) => json(res, 500, { message: String(err) }));
  return {
    origin: server.origin,
    signInAs: (user) => {
      current = user;
    },
    calls,
    close: server.close,
  };
}
