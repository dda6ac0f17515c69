/**
 * Plugins on and off by re-running the program on the same stage: enabling magicLink + apiKey makes
 * their endpoints answer; disabling them makes those endpoints 404 (JSON) while their rows stay in D1.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { localD1File } from "../support/local-d1.ts";
import { waitForEmail } from "../support/outbox.ts";
import { querySqlite, type RunningStack, startStack, uniqueStage } from "../support/stack.ts";

const APP = "plugin-toggle-test";
const stage = uniqueStage("toggle");
const OFF = ["--config", "test/fixtures/plugin-toggle-off.config.ts"];
const ON = ["--config", "test/fixtures/plugin-toggle-on.config.ts"];
const EMAIL = "toggle@example.com";
let stack: RunningStack | undefined;

afterAll(async () => {
  await stack?.stop();
});

/** Re-runs the program on the same stage and port with a config, as a developer would. */
async function run(config: string[], port?: number): Promise<RunningStack> {
  await stack?.stop();
  stack = await startStack(stage, { args: config, ...(port ? { port } : {}) });
  return stack;
}

async function signIn(url: string): Promise<Session> {
  const browser = new Session(url);
  const res = await browser.post("/auth/v1/sign-in/email", {
    email: EMAIL,
    password: "correct horse battery",
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return browser;
}

async function expectJson404(res: Response) {
  expect(res.status).toBe(404);
  expect(res.headers.get("content-type")).toContain("application/json");
  await res.json(); // parses
}

describe("turning plugins on and off", () => {
  it("serves a plugin's endpoints once enabled, 404s them once disabled, and keeps its rows", {
    timeout: 180_000,
  }, async () => {
    // 1. Without the plugins.
    const first = await run(OFF);
    const port = first.outputs.port;
    const signUp = await new Session(first.url).post("/auth/v1/sign-up/email", {
      name: "Toggle",
      email: EMAIL,
      password: "correct horse battery",
    });
    expect(signUp.status).toBe(200);
    let browser = await signIn(first.url);
    await expectJson404(await browser.get("/auth/v1/api-key/list"));
    await expectJson404(await browser.post("/auth/v1/magic-link/send", { email: EMAIL }));
    expect(first.outputs.plugins).toEqual(["emailAndPassword"]);

    // 2. Same stage, plugins on: their endpoints answer, and the user from before is still there.
    const second = await run(ON, port);
    expect(second.url).toBe(first.url);
    expect([...second.outputs.plugins].sort()).toEqual(["apiKey", "emailAndPassword", "magicLink"]);
    browser = await signIn(second.url);
    const created = await browser.post("/auth/v1/api-key/create", { name: "toggle-key" });
    expect(created.status, await created.clone().text()).toBe(200);
    const { id: keyId, key } = (await created.json()) as { id: string; key: string };
    const me = await fetch(`${second.url}/api/v1/me`, { headers: { "x-api-key": key } });
    expect(me.status).toBe(200);
    const sent = await new Session(second.url).post("/auth/v1/magic-link/send", { email: EMAIL });
    expect(sent.status, await sent.clone().text()).toBe(200);
    expect((await waitForEmail(stage, EMAIL)).kind).toBe("magic-link");

    // 3. Off again: the endpoints are gone (404 JSON), the key no longer authenticates, the rows stay.
    const third = await run(OFF, port);
    browser = await signIn(third.url);
    await expectJson404(await browser.get("/auth/v1/api-key/list"));
    await expectJson404(await browser.post("/auth/v1/api-key/create", { name: "nope" }));
    await expectJson404(await browser.post("/auth/v1/magic-link/send", { email: EMAIL }));
    await expectJson404(await browser.get("/auth/v1/magic-link/verify?token=x"));
    const refused = await fetch(`${third.url}/api/v1/me`, { headers: { "x-api-key": key } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "api_key_unsupported" });
    const db = await localD1File(APP, stage);
    expect(await querySqlite(db, `SELECT id, name FROM apikey WHERE id = '${keyId}'`)).toEqual([
      { id: keyId, name: "toggle-key" },
    ]);
    expect(await querySqlite(db, `SELECT email FROM user`)).toEqual([{ email: EMAIL }]);

    // 4. On once more: the kept key works again, as if it had never been away.
    const fourth = await run(ON, port);
    expect((await fetch(`${fourth.url}/api/v1/me`, { headers: { "x-api-key": key } })).status).toBe(200);
  });
});
