/** oauthProvider with `allowUnauthenticatedClientRegistration: false`: registration stays open, but only to signed-in callers. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { discoverIssuer } from "../support/oauth-browser.ts";
import { type RunningStack, startStack, uniqueStage } from "../support/stack.ts";
import { signUpUser } from "../support/users.ts";

const stage = uniqueStage("oauth-reg");
const CONFIG = ["--config", "test/fixtures/oauth-signed-in-registration.config.ts"];
const metadata = { client_name: "Example CRM", redirect_uris: ["https://client.example.com/callback"] };

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack(stage, { args: CONFIG });
});

afterAll(async () => {
  await stack?.stop();
});

describe("allowUnauthenticatedClientRegistration: false", () => {
  it("still advertises the registration endpoint", async () => {
    const issuer = new URL(`${stack.url}/auth/v1`);
    const as = await discoverIssuer(stack.url);
    expect(as.registration_endpoint).toBe(`${issuer.href}/oauth2/register`);
  });

  it("refuses a stranger with 401 and a Bearer challenge, and registers nothing", async () => {
    const res = await new Session(stack.url).post("/auth/v1/oauth2/register", metadata);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate") ?? "").toMatch(/^Bearer/);
    expect(((await res.json()) as { client_id?: string }).client_id).toBeUndefined();
  });

  it("registers a client for a signed-in user", async () => {
    const { browser } = await signUpUser(stack.url, "Dev");
    const res = await browser.post("/auth/v1/oauth2/register", metadata);
    expect(res.status).toBe(201); // RFC 7591 §3.2.1
    const client = (await res.json()) as { client_id?: string; redirect_uris?: string[] };
    expect(client.client_id).toBeTruthy();
    expect(client.redirect_uris).toEqual(metadata.redirect_uris);
  });
});
