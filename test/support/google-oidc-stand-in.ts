/**
 * A Google-shaped OpenID Provider on loopback: panva's oidc-provider (OpenID Certified) with
 * Google's paths (authorization /o/oauth2/v2/auth, token /token, JWKS /oauth2/v3/certs, userinfo
 * /v1/userinfo), PKCE required, and the email claims in the id_token as Google puts them. A person
 * signs in through the provider's interaction endpoint: its page lists the accounts, one button
 * each (a POST of `login=<sub>`); a client without a page sends GET /interaction/<uid>?login=<sub>.
 * Consent is given automatically (Google does not ask again for an app already approved).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export interface GoogleAccount {
  sub: string;
  email: string;
  /** Google sends a boolean; a stand-in may send anything, to see how it is read. */
  email_verified: boolean | string;
  name: string;
}

export interface GoogleStandIn {
  origin: string;
  /** The next call to this path answers 500 (a Google outage). */
  failNext(path: "/token"): void;
  close(): Promise<void>;
}

export async function startGoogleStandIn(
  client: { clientId: string; clientSecret: string; callbackUrl: string },
  accounts: GoogleAccount[],
): Promise<GoogleStandIn> {
  const failing = new Set<string>();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const provider = new Provider(origin, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [client.callbackUrl],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    routes: {
      authorization: "/o/oauth2/v2/auth",
      token: "/token",
      jwks: "/oauth2/v3/certs",
      userinfo: "/v1/userinfo",
    },
    pkce: { required: () => true },
    // Google puts email, email_verified and name in the id_token, which Better Auth reads.
    conformIdTokenClaims: false,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    cookies: { keys: ["google-stand-in-cookie-key"] },
    findAccount: (_ctx, sub) => {
      const account = accounts.find((a) => a.sub === sub);
      return account ? { accountId: sub, claims: () => ({ ...account }) } : undefined;
    },
    // Consent already given: a grant for exactly the scopes asked.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client?.clientId,
        accountId: ctx.oidc.session?.accountId,
      });
      grant.addOIDCScope(String(ctx.oidc.params?.scope ?? "openid"));
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    let login = url.searchParams.get("login");
    if (req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      login = new URLSearchParams(Buffer.concat(chunks).toString("utf8")).get("login");
    }
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name !== "login") {
      res.writeHead(400, { "content-type": "text/plain" });
      return void res.end(`expected a login prompt, got ${details.prompt.name}`);
    }
    if (!login) {
      // The account chooser: one button per account.
      const buttons = accounts
        .map((a) => `<button name="login" value="${a.sub}">Sign in as ${a.email}</button>`)
        .join("");
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return void res.end(
        `<!doctype html><title>Sign in - Google</title><form method="post" action="${url.pathname}">${buttons}</form>`,
      );
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: login } },
      { mergeWithLastSubmission: false },
    );
  }

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", origin).pathname;
    if (failing.delete(path)) {
      res.writeHead(500, { "content-type": "text/html" });
      return void res.end("<h1>Server Error</h1>");
    }
    if (path.startsWith("/interaction/")) {
      interaction(req, res).catch((err: unknown) => {
        res.writeHead(500);
        res.end(String(err));
      });
      return;
    }
    callback(req, res);
  });

  return {
    origin,
    failNext: (path) => {
      failing.add(path);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
