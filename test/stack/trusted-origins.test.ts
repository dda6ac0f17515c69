/**
 * runtime.trustedOrigins on a local stack: a front-end dev server on http://localhost:5173 (listed)
 * gets CORS with credentials and passes Better Auth's origin and callbackURL checks; :5174 (not
 * listed) gets neither.
 */
import { describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { runProgram } from "../support/stack.ts";
import { stackPerFile } from "../support/stack-per-file.ts";

const file = stackPerFile("trusted", "test/fixtures/trusted-origins.config.ts");
const { stage } = file;
const VITE = "http://localhost:5173";
const UNLISTED = "http://localhost:5174";
const PASSWORD = "correct horse battery";

const address = (label: string) => `${label}-${stage}@example.com`;

function preflight(origin: string, path = "/auth/v1/sign-up/email") {
  return fetch(`${file.stack.url}${path}`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    },
  });
}

/** A browser page on `origin` posting JSON to the stack with its cookies. */
function postFrom(session: Session, origin: string, path: string, json: unknown) {
  return session.request(path, { method: "POST", json, headers: { origin } });
}

/** Signs a user up from the stack's own origin: the session whose cookie the later requests carry. */
async function signedIn(label: string): Promise<Session> {
  const session = new Session(file.stack.url);
  const res = await session.post("/auth/v1/sign-up/email", {
    email: address(label),
    password: PASSWORD,
    name: "Ada",
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return session;
}

describe("the stack's trusted origins", () => {
  it("are its own URL and the listed dev server, as --plan shows", async () => {
    // --plan picks a free port of its own (the stack holds this one), so any local URL will do.
    const plan = await runProgram(["--plan", "--stage", stage, ...file.args]);
    expect(plan.code, plan.output).toBe(0);
    expect(plan.output).toMatch(/AUTHFORM_TRUSTED_ORIGINS +http:\/\/localhost:\d+,http:\/\/localhost:5173\n/);
  });
});

describe("a listed origin (the Vite dev server on :5173)", () => {
  it("gets the preflight grant, with credentials", async () => {
    const res = await preflight(VITE);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(VITE);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("signs up with a credentialed POST: 200, the grant, and a session cookie", async () => {
    const page = new Session(file.stack.url);
    const res = await postFrom(page, VITE, "/auth/v1/sign-up/email", {
      email: address("vite"),
      password: PASSWORD,
      name: "Ada",
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(VITE);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(((await res.json()) as { user: { email: string } }).user.email).toBe(address("vite"));
    expect(page.hasCookies()).toBe(true);

    const session = await page.request("/auth/v1/get-session", { headers: { origin: VITE } });
    expect(session.headers.get("access-control-allow-origin")).toBe(VITE);
    expect(((await session.json()) as { user: { email: string } }).user.email).toBe(address("vite"));
  });

  it("passes Better Auth's origin check on a cookie-authenticated POST", async () => {
    const session = await signedIn("vite-update");
    const res = await postFrom(session, VITE, "/auth/v1/update-user", { name: "Lovelace" });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(VITE);
    const me = (await (await session.get("/auth/v1/get-session")).json()) as { user: { name: string } };
    expect(me.user.name).toBe("Lovelace");
  });

  it("is a callbackURL Better Auth accepts", async () => {
    const res = await new Session(file.stack.url).post("/auth/v1/sign-up/email", {
      email: address("vite-callback"),
      password: PASSWORD,
      name: "Ada",
      callbackURL: `${VITE}/welcome`,
    });
    expect(res.status, await res.clone().text()).toBe(200);
  });
});

describe("the Account SPA", () => {
  it("may send a signed-in user back to a listed origin (?redirect=), not to an unlisted one", async () => {
    const html = await (await fetch(`${file.stack.url}/login`)).text();
    const content = /<meta name="authform-stack" content="([^"]*)"/.exec(html)?.[1];
    expect(content).toBeDefined();
    const text = (content as string)
      .replaceAll("&quot;", '"')
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">");
    const info = JSON.parse(text.replaceAll("&amp;", "&")) as {
      trustedOrigins: string[];
    };
    expect(info.trustedOrigins).toEqual([file.stack.url, VITE]);
  });
});

describe("an unlisted origin (:5174)", () => {
  it("gets a 403 preflight and no CORS headers", async () => {
    const res = await preflight(UNLISTED);
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(((await res.json()) as { error: string }).error).toBe("origin_not_allowed");
  });

  it("is refused by Better Auth's origin check on a cookie-authenticated POST, which changes nothing", async () => {
    const session = await signedIn("unlisted-update");
    const res = await postFrom(session, UNLISTED, "/auth/v1/update-user", { name: "Mallory" });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "INVALID_ORIGIN" });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const me = (await (await session.get("/auth/v1/get-session")).json()) as { user: { name: string } };
    expect(me.user.name).toBe("Ada");
  });

  it("cannot sign up from there, nor be a callbackURL", async () => {
    const page = new Session(file.stack.url);
    const fromThere = await postFrom(page, UNLISTED, "/auth/v1/sign-up/email", {
      email: address("unlisted"),
      password: PASSWORD,
      name: "Ada",
    });
    expect(fromThere.status).toBe(403);
    expect(fromThere.headers.get("access-control-allow-origin")).toBeNull();
    expect(fromThere.headers.getSetCookie().join("\n")).not.toContain("session_token");

    const callback = await new Session(file.stack.url).post("/auth/v1/sign-up/email", {
      email: address("unlisted-callback"),
      password: PASSWORD,
      name: "Ada",
      callbackURL: `${UNLISTED}/welcome`,
    });
    expect(callback.status).toBe(403);
    expect(await callback.json()).toMatchObject({ code: "INVALID_CALLBACK_URL" });
  });
});
