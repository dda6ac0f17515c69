/**
 * An OpenID Provider on loopback: panva's oidc-provider (OpenID Certified), shaped per test by its
 * routes and claims (google-oidc-stand-in.ts, microsoft-oidc-stand-in.ts, or plain, with discovery,
 * for genericOAuth). PKCE is required. A person signs in through the provider's interaction
 * endpoint: its page lists the accounts, one button each (a POST of `login=<sub>`); a client without
 * a page sends GET /interaction/<uid>?login=<sub>. Consent is given automatically (as for an app
 * already approved).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration } from "oidc-provider";

/** An account's claims: `sub` and `email` at least; anything else goes into the id_token as given. */
export interface OidcAccount {
  sub: string;
  email: string;
}

export interface OidcStandIn {
  origin: string;
  /** The next call to this path answers 500 (an outage). */
  failNext(path: string): void;
  /** Paths requested (decoded), in order: what the stack actually called. */
  calls: string[];
  close(): Promise<void>;
}

export interface OidcStandInOptions {
  client: { clientId: string; clientSecret: string; callbackUrl: string };
  /** Read at each sign-in: an account added or changed later counts. Other fields go in the id_token as given. */
  accounts: OidcAccount[];
  /** oidc-provider's routes (the service's own paths); its defaults otherwise. */
  routes?: Configuration["routes"];
  /** Claims per scope, as the service puts them in the id_token. */
  claims: Configuration["claims"];
  /** Scopes the service knows besides openid (others are dropped from the grant, as providers do). */
  scopes?: string[];
  /** A path the service serves besides the OpenID ones (answers true when it handled the request). */
  extra?(req: IncomingMessage, res: ServerResponse, path: string): boolean;
  /** The title of the sign-in page. */
  title: string;
}

export async function startOidcStandIn(options: OidcStandInOptions): Promise<OidcStandIn> {
  const { client, accounts } = options;
  const failing = new Set<string>();
  const calls: string[] = [];
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
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.scopes ? { scopes: ["openid", ...options.scopes] } : {}),
    pkce: { required: () => true },
    // The claims of the scopes asked for go in the id_token, which is what the stack reads.
    conformIdTokenClaims: false,
    claims: options.claims,
    cookies: { keys: [`${options.title}-stand-in-cookie-key`] },
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
        `<!doctype html><title>Sign in - ${options.title}</title><form method="post" action="${url.pathname}">${buttons}</form>`,
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
    // Decoded: a client may send Graph's `$value` as %24value.
    const path = decodeURIComponent(new URL(req.url ?? "/", origin).pathname);
    calls.push(path);
    if (failing.delete(path)) {
      res.writeHead(500, { "content-type": "text/html" });
      return void res.end("<h1>Server Error</h1>");
    }
    if (options.extra?.(req, res, path)) return;
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
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
