/**
 * The OpenAPI reference on a running stack: a valid OpenAPI 3.1 document (checked by a real
 * validator) of exactly this config's endpoints at the paths they are served at, whose response
 * schemas the live answers satisfy.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { Session } from "../support/http.ts";
import { stackPerFile } from "../support/stack-per-file.ts";
import { signUpUser, TEST_PASSWORD } from "../support/users.ts";

type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }> };
interface Document {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, unknown>;
}

const file = stackPerFile("reference", "test/fixtures/api-reference.config.ts");
let doc: Document;

beforeAll(async () => {
  const res = await fetch(`${file.stack.url}/auth/v1/reference/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/json");
  doc = (await res.json()) as Document;
});

/** Checks a live body against the schema the document gives that operation's status. */
function expectDocumented(path: string, method: string, status: number, body: unknown) {
  const schema = doc.paths[path]?.[method]?.responses[String(status)]?.content?.["application/json"]?.schema;
  expect(schema, `${method.toUpperCase()} ${path} documents a ${status} JSON body`).toBeDefined();
  // The document's components travel with the schema, so its $refs (#/components/schemas/User) resolve.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile({ ...schema, components: doc.components });
  expect(
    validate(body),
    `${method.toUpperCase()} ${path} ${status}: ${ajv.errorsText(validate.errors)}`,
  ).toBe(true);
}

describe("GET /auth/v1/reference", () => {
  it("points at the JSON document", async () => {
    const res = await fetch(`${file.stack.url}/auth/v1/reference`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get("location") ?? "", file.stack.url).pathname).toBe(
      "/auth/v1/reference/openapi.json",
    );
  });

  it("can be read from any origin, without credentials (viewers elsewhere)", async () => {
    const res = await fetch(`${file.stack.url}/auth/v1/reference/openapi.json`, {
      headers: { origin: "https://viewer.example.net" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("is a valid OpenAPI 3.1 document for this stack's origin", async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await new Validator().validate(
      structuredClone(doc) as unknown as Parameters<Validator["validate"]>[0],
    );
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.servers).toEqual([{ url: new URL(file.stack.url).origin }]);
  });

  it("would be refused by that validator if it broke the specification", async () => {
    // A response without its required description, as Better Auth's plugins sometimes write them.
    const broken = structuredClone(doc);
    broken.paths["/api/v1/me"] = { get: { responses: { "200": {} } } };
    const result = await new Validator().validate(broken as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.valid).toBe(false);
  });
});

describe("the document lists what this config serves, where it serves it", () => {
  it("has the enabled plugins' endpoints, the seed's paths and authform's own", () => {
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/auth/v1/sign-up/email",
        "/auth/v1/get-session",
        "/auth/v1/passkey/generate-register-options",
        "/auth/v1/passkey/register/options",
        "/auth/v1/passkey/authenticate/verify",
        "/auth/v1/sign-in/magic-link",
        "/auth/v1/magic-link/send",
        "/auth/v1/sign-in/anonymous",
        "/auth/v1/upgrade-anonymous",
        "/auth/v1/jwks",
        "/api/v1/me",
        "/api/v1/token",
        "/api/v1/system/status",
      ]),
    );
    expect(Object.keys(doc.paths["/auth/v1/token"] ?? {}).sort()).toEqual(["get", "post"]);
    // Every Better Auth path is under the base path it is served at.
    expect(paths.filter((p) => p.startsWith("/passkey") || p.startsWith("/sign-"))).toEqual([]);
  });

  it("has no endpoint of a plugin this config leaves off, and those paths are not served", async () => {
    const off = [
      "/auth/v1/organization/create",
      "/auth/v1/api-key/create",
      "/auth/v1/two-factor/enable",
      "/auth/v1/email-otp/send-verification-otp",
      "/auth/v1/oauth2/register",
      "/.well-known/openid-configuration",
    ];
    for (const path of off) {
      expect(doc.paths[path], path).toBeUndefined();
      const res = await fetch(`${file.stack.url}${path}`, {
        method: path.startsWith("/.well") ? "GET" : "POST",
      });
      expect(res.status, path).toBe(404);
    }
    expect(
      Object.keys(doc.paths).filter((p) => /organization|api-key|two-factor|email-otp|oauth2/.test(p)),
    ).toEqual([]);
  });

  it("documents only paths the Worker routes: none answers with the router's 404", async () => {
    const browser = new Session(file.stack.url);
    const unrouted: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      // Parameterised paths need a real id; the rest are tried as documented, without a body or a session.
      if (path.includes("{")) continue;
      for (const method of Object.keys(item)) {
        const res = await browser.request(path, { method: method.toUpperCase() });
        const body = await res.text();
        if (res.status === 404 && body.includes("No route for")) unrouted.push(`${method} ${path}`);
      }
    }
    expect(unrouted).toEqual([]);
  });
});

describe("live answers match the documented response schemas", () => {
  it("sign-up/email, get-session, /api/v1/me, /api/v1/token and /api/v1/system/status", async () => {
    const { browser } = await signUpUser(file.stack.url, "Ref");
    const signIn = await browser.post("/auth/v1/sign-in/email", {
      email: "ref@example.com",
      password: TEST_PASSWORD,
    });
    expectDocumented("/auth/v1/sign-in/email", "post", 200, await signIn.json());

    const signUp = await new Session(file.stack.url).post("/auth/v1/sign-up/email", {
      name: "Other",
      email: "other@example.com",
      password: TEST_PASSWORD,
    });
    expect(signUp.status).toBe(200);
    expectDocumented("/auth/v1/sign-up/email", "post", 200, await signUp.json());

    const session = await browser.get("/auth/v1/get-session");
    expect(session.status).toBe(200);
    const sessionBody = (await session.json()) as { user: { email: string } };
    expect(sessionBody.user.email).toBe("ref@example.com");
    expectDocumented("/auth/v1/get-session", "get", 200, sessionBody);

    const me = await browser.get("/api/v1/me");
    expect(me.status).toBe(200);
    expectDocumented("/api/v1/me", "get", 200, await me.json());

    const token = await browser.post("/api/v1/token");
    expect(token.status).toBe(200);
    expectDocumented("/api/v1/token", "post", 200, await token.json());

    const anonymousMe = await fetch(`${file.stack.url}/api/v1/me`);
    expect(anonymousMe.status).toBe(401);
    expectDocumented("/api/v1/me", "get", 401, await anonymousMe.json());

    const status = await fetch(`${file.stack.url}/api/v1/system/status`);
    expect(status.status).toBe(200);
    expectDocumented("/api/v1/system/status", "get", 200, await status.json());
  });

  it("a documented schema refuses a body that does not fit it", () => {
    // The check above can fail: the same schema rejects a /me answer without its userId.
    const schema = doc.paths["/api/v1/me"]?.get?.responses["200"]?.content?.["application/json"]?.schema;
    const validate = new Ajv2020({ strict: false }).compile({ ...schema, components: doc.components });
    expect(validate({ orgId: null, roles: [], authMethod: "session" })).toBe(false);
  });
});
