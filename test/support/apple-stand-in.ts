/**
 * An Apple-shaped Sign in with Apple host on loopback, faithful to Apple's documented web flow
 * (developer.apple.com, "Request an authorization to the Sign in with Apple server"):
 * GET /auth/authorize with `response_mode=form_post` answers a page whose form POSTs `code`,
 * `id_token`, `state` and — the first time only — `user` (a JSON name) to the redirect URI, from
 * Apple's own origin; POST /auth/token checks the client secret (a JWT, ES256, `iss` the team, `sub`
 * the Services ID, `aud` https://appleid.apple.com) and PKCE, and answers tokens with an id_token
 * (RS256, keys at /auth/keys) whose `email_verified` is a string, as Apple has sent it.
 */
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type CryptoKey, exportJWK, generateKeyPair, jwtVerify, SignJWT } from "jose";
import { serveOnLoopback } from "./loopback-server.ts";

export interface AppleUser {
  sub: string;
  email: string;
  email_verified: "true" | "false" | boolean;
  /** Sent in `user` on the first authorization only. */
  firstName: string;
  lastName: string;
}

export interface AppleStandIn {
  origin: string;
  signInAs(user: AppleUser): void;
  calls: string[];
  close(): Promise<void>;
}

interface Grant {
  user: AppleUser;
  challenge?: string;
  redirectUri: string;
  expires: number;
}

/**
 * A client secret as Apple wants it, signed by a new Sign in with Apple key (ES256); the public half
 * is what Apple holds for the team, and the stand-in checks the signature with it.
 */
export async function appleClientSecret(
  teamId: string,
  servicesId: string,
): Promise<{ secret: string; key: CryptoKey }> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const secret = await new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: "ABC123DEFG" })
    .setIssuer(teamId)
    .setSubject(servicesId)
    .setAudience("https://appleid.apple.com")
    .setIssuedAt()
    .setExpirationTime("180d")
    .sign(privateKey);
  return { secret, key: publicKey };
}

export async function startAppleStandIn(client: {
  clientId: string;
  teamId: string;
  /** The team's Sign in with Apple public key: client secrets must be signed by it. */
  key: CryptoKey;
  callbackUrl: string;
}): Promise<AppleStandIn> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "apple-stand-in", alg: "RS256", use: "sig" };
  let current: AppleUser | undefined;
  const authorized = new Set<string>();
  const codes = new Map<string, Grant>();
  const calls: string[] = [];

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const idToken = (user: AppleUser, nonce?: string) =>
    new SignJWT({
      email: user.email,
      email_verified: user.email_verified,
      is_private_email: "false",
      auth_time: Math.floor(Date.now() / 1000),
      nonce_supported: true,
      ...(nonce ? { nonce } : {}),
    })
      .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
      .setIssuer("https://appleid.apple.com")
      .setAudience(client.clientId)
      .setSubject(user.sub)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(privateKey);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stand-in");
    calls.push(`${req.method} ${url.pathname}`);
    if (req.method === "GET" && url.pathname === "/auth/keys") return json(res, 200, { keys: [jwk] });

    if (req.method === "GET" && url.pathname === "/auth/authorize") {
      const q = url.searchParams;
      if (q.get("client_id") !== client.clientId) return json(res, 400, { error: "invalid_client" });
      if (q.get("redirect_uri") !== client.callbackUrl) return json(res, 400, { error: "invalid_request" });
      // Apple requires form_post whenever name or email is asked for.
      if (q.get("response_mode") !== "form_post") return json(res, 400, { error: "invalid_request" });
      if (!current) return json(res, 401, { error: "nobody signed in at the stand-in" });
      const user = current;
      const code = randomBytes(16).toString("hex");
      const challenge = q.get("code_challenge") ?? undefined;
      codes.set(code, {
        user,
        redirectUri: client.callbackUrl,
        ...(challenge ? { challenge } : {}),
        expires: Date.now() + 5 * 60_000,
      });
      const fields: Record<string, string> = { code, state: q.get("state") ?? "" };
      if ((q.get("response_type") ?? "").split(" ").includes("id_token")) {
        fields.id_token = await idToken(user, q.get("nonce") ?? undefined);
      }
      if (!authorized.has(user.sub)) {
        authorized.add(user.sub);
        fields.user = JSON.stringify({
          name: { firstName: user.firstName, lastName: user.lastName },
          email: user.email,
        });
      }
      const inputs = Object.entries(fields)
        .map(
          ([k, v]) =>
            `<input type="hidden" name="${k}" value="${v.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}">`,
        )
        .join("");
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return void res.end(
        `<!doctype html><title>Sign in with Apple</title><form method="post" action="${client.callbackUrl}">${inputs}<button>Continue</button></form>`,
      );
    }

    if (req.method === "POST" && url.pathname === "/auth/token") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      if (
        form.get("client_id") !== client.clientId ||
        !(await validClientSecret(form.get("client_secret") ?? ""))
      ) {
        return json(res, 400, { error: "invalid_client" });
      }
      const code = form.get("code") ?? "";
      const grant = codes.get(code);
      codes.delete(code);
      const verifier = form.get("code_verifier");
      const pkceOk =
        !grant?.challenge ||
        (verifier !== null && createHash("sha256").update(verifier).digest("base64url") === grant.challenge);
      if (!grant || grant.expires < Date.now() || !pkceOk || form.get("redirect_uri") !== grant.redirectUri) {
        return json(res, 400, { error: "invalid_grant" });
      }
      return json(res, 200, {
        access_token: randomBytes(16).toString("hex"),
        token_type: "Bearer",
        expires_in: 3600,
        refresh_token: randomBytes(16).toString("hex"),
        id_token: await idToken(grant.user),
      });
    }
    json(res, 404, { error: "not_found" });
  }

  /** Apple's check of the client secret: signed by the team's key, for this Services ID, not expired. */
  async function validClientSecret(secret: string): Promise<boolean> {
    try {
      await jwtVerify(secret, client.key, {
        algorithms: ["ES256"],
        issuer: client.teamId,
        subject: client.clientId,
        audience: "https://appleid.apple.com",
      });
      return true;
    } catch {
      return false;
    }
  }

  const server = await serveOnLoopback(handle, (res, err) => json(res, 500, { error: String(err) }));
  return {
    origin: server.origin,
    signInAs: (user) => {
      current = user;
    },
    calls,
    close: server.close,
  };
}
