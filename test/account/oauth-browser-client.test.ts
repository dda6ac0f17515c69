/**
 * A browser-based OAuth client on another origin, in Chromium: a page served from 127.0.0.1 (the
 * stack is on localhost, so another site) discovers the authorization server as the MCP SDK does,
 * registers itself as a public client, sends the user through /login and /consent, and back on its
 * own origin trades the code for tokens and reads userinfo — every call a cross-origin fetch the
 * browser checks. The same page cannot read the user's session.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshot } from "../support/browser.ts";
import { Session } from "../support/http.ts";
import { stackAndBrowserPerFile } from "../support/stack-and-browser-per-file.ts";

const file = stackAndBrowserPerFile("oauth-browser", "test/fixtures/oauth-browser.config.ts");
const user = { name: "Ada", email: "ada@example.com", password: "correct horse battery" };

/** What the client page reports in #result when its flow ends. */
interface Outcome {
  steps?: string[];
  tokens?: { access_token?: string; id_token?: string; refresh_token?: string; token_type?: string };
  userinfo?: { sub?: string; email?: string };
  sessionRead?: Record<string, string>;
  error?: string;
}

/**
 * The client: one page whose inline script runs the whole public-client flow with fetch and Web
 * Crypto, as an in-browser agent would. `/` starts it on a click; `/callback` finishes it.
 */
function clientPage(api: string): string {
  const script = `
const API = ${JSON.stringify(api)};
const MCP = { "mcp-protocol-version": "2025-06-18" };
const steps = [];
const report = (data) => { document.getElementById("result").textContent = JSON.stringify({ steps, ...data }); };
const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
async function json(step, res) {
  steps.push(step + " " + res.status);
  if (!res.ok) throw new Error(step + " answered " + res.status + ": " + (await res.text()));
  return res.json();
}
async function start() {
  const prm = await json("resource-metadata", await fetch(API + "/.well-known/oauth-protected-resource", { headers: MCP }));
  const issuer = new URL(prm.authorization_servers[0]);
  const as = await json("server-metadata", await fetch(issuer.origin + "/.well-known/oauth-authorization-server" + issuer.pathname, { headers: MCP }));
  const client = await json("register", await fetch(as.registration_endpoint, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_name: "Browser Agent",
      redirect_uris: [location.origin + "/callback"],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    }),
  }));
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem("flow", JSON.stringify({ verifier, state, steps, client_id: client.client_id, as, resource: prm.resource }));
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: client.client_id, redirect_uri: location.origin + "/callback", response_type: "code",
    scope: "openid profile email offline_access", state, code_challenge: challenge,
    code_challenge_method: "S256", resource: prm.resource,
  }).toString();
  location.assign(url.href);
}
async function finish(params) {
  const flow = JSON.parse(sessionStorage.getItem("flow"));
  steps.push(...flow.steps);
  if (params.get("state") !== flow.state) throw new Error("state mismatch");
  if (params.get("error")) throw new Error("authorization failed: " + params.get("error"));
  const tokens = await json("token", await fetch(flow.as.token_endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code", code: params.get("code"), redirect_uri: location.origin + "/callback",
      client_id: flow.client_id, code_verifier: flow.verifier, resource: flow.resource,
    }),
  }));
  const userinfo = await json("userinfo", await fetch(flow.as.userinfo_endpoint, {
    headers: { authorization: "Bearer " + tokens.access_token },
  }));
  // The user's session on the stack is not this page's to read, with or without cookies.
  const sessionRead = {};
  for (const credentials of ["include", "omit"]) {
    try {
      const res = await fetch(API + "/auth/v1/get-session", { credentials });
      sessionRead[credentials] = "read " + res.status + " " + (await res.text());
    } catch (err) {
      sessionRead[credentials] = "blocked: " + err.name;
    }
  }
  report({ tokens, userinfo, sessionRead });
}
const params = new URLSearchParams(location.search);
const run = location.pathname === "/callback" ? () => finish(params) : start;
const go = () => run().catch((err) => report({ error: String(err && err.message || err) }));
if (location.pathname === "/callback") go();
else document.getElementById("connect").addEventListener("click", go);
`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Browser Agent</title></head>
<body><h1>Browser Agent</h1><button id="connect">Connect your account</button><pre id="result"></pre>
<script>${script}</script></body></html>`;
}

/** The client's site: a plain HTTP server on another loopback origin, serving the page at / and /callback. */
function serveClient(api: string): Promise<{ server: Server; origin: string }> {
  const html = clientPage(api);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    if (path !== "/" && path !== "/callback") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(html);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

let client: { server: Server; origin: string };
let userId: string;

beforeAll(async () => {
  client = await serveClient(file.stack.url);
  const res = await new Session(file.stack.url).post("/auth/v1/sign-up/email", user);
  expect(res.status).toBe(200);
  userId = ((await res.json()) as { user: { id: string } }).user.id;
});

afterAll(async () => {
  await new Promise<void>((resolve) => (client?.server ? client.server.close(() => resolve()) : resolve()));
});

describe("a browser OAuth client on another origin", () => {
  it("discovers, registers, signs the user in, and gets tokens and userinfo in the browser", async () => {
    // A plain profile: no extra request headers, so the browser's CORS checks are exactly a user's.
    const context = await file.browser.newContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));

    await page.goto(`${client.origin}/`);
    await page.getByRole("button", { name: "Connect your account" }).click();

    // The authorization server sends the user to the Account SPA to sign in, then to consent.
    const result = page.locator("#result");
    await Promise.race([
      page.waitForURL((url) => url.pathname === "/login", { timeout: 20_000 }),
      // A refused cross-origin call stops the page before it navigates: fail with its own report.
      result
        .filter({ hasText: /./ })
        .waitFor({ timeout: 20_000 })
        .then(async () => {
          throw new Error(`the client page stopped: ${await result.textContent()}`);
        }),
    ]);
    expect(new URL(page.url()).origin).toBe(file.stack.outputs.accountUrl);
    const signIn = page.getByRole("form", { name: "Sign in with password" });
    await signIn.getByLabel("Email", { exact: true }).fill(user.email);
    await signIn.getByLabel("Password", { exact: true }).fill(user.password);
    await signIn.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/consent");
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe("Browser Agent wants to access your account");
    await page.getByRole("button", { name: "Allow" }).click();

    // Back on the client's own origin, its script finishes the flow.
    await page.waitForURL((url) => url.origin === client.origin && url.pathname === "/callback");
    await expect.poll(async () => (await result.textContent()) ?? "", { timeout: 20_000 }).not.toBe("");
    await screenshot(page, "oauth-browser-client");
    const outcome = JSON.parse((await result.textContent()) as string) as Outcome;

    expect(outcome.error).toBeUndefined();
    expect(outcome.steps).toEqual([
      "resource-metadata 200",
      "server-metadata 200",
      "register 201",
      "token 200",
      "userinfo 200",
    ]);
    expect(outcome.tokens?.token_type).toMatch(/^bearer$/i);
    expect(outcome.tokens?.access_token).toBeTruthy();
    expect(outcome.tokens?.id_token).toBeTruthy();
    expect(outcome.tokens?.refresh_token).toBeTruthy();
    expect(outcome.userinfo).toMatchObject({ sub: userId, email: user.email });
    // No grant on the session API: the browser refuses the response either way.
    expect(outcome.sessionRead).toEqual({ include: "blocked: TypeError", omit: "blocked: TypeError" });
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it("opens exactly the public endpoints to the client's origin, and keeps the Account SPA's grant", async () => {
    const preflight = (path: string, origin: string, method = "POST") =>
      fetch(`${file.stack.url}${path}`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": method,
          "access-control-request-headers": "content-type",
        },
      });
    const token = await preflight("/auth/v1/oauth2/token", client.origin);
    expect(token.status).toBe(204);
    expect(token.headers.get("access-control-allow-origin")).toBe("*");
    expect(token.headers.get("access-control-allow-credentials")).toBeNull();

    for (const [path, method] of [
      ["/auth/v1/sign-in/email", "POST"],
      ["/auth/v1/get-session", "GET"],
      ["/auth/v1/oauth2/consent", "POST"],
    ] as const) {
      const res = await preflight(path, client.origin, method);
      expect(res.status, path).toBe(403);
      expect(res.headers.get("access-control-allow-origin"), path).toBeNull();
    }

    const account = file.stack.outputs.accountUrl;
    const trusted = await preflight("/auth/v1/oauth2/token", account);
    expect(trusted.status).toBe(204);
    expect(trusted.headers.get("access-control-allow-origin")).toBe(account);
    expect(trusted.headers.get("access-control-allow-credentials")).toBe("true");
    const jwks = await fetch(`${file.stack.url}/auth/v1/jwks`, { headers: { origin: account } });
    expect(jwks.headers.get("access-control-allow-origin")).toBe(account);
    expect(jwks.headers.get("vary")).toContain("Origin");
  });
});
