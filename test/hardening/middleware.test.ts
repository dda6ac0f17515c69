/** The request-hygiene middleware on a bare Hono app: JSON bounds, bodiless errors, and 429s. */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { handleError } from "../../worker/middleware/errors.ts";
import { jsonBody, MAX_JSON_DEPTH, nestingDepth } from "../../worker/middleware/json-body.ts";
import { jsonErrors } from "../../worker/middleware/json-errors.ts";
import { retryAfter } from "../../worker/middleware/retry-after.ts";

function appAnswering(res: () => Response) {
  const app = new Hono();
  app.onError(handleError);
  app.use("*", retryAfter, jsonErrors, jsonBody);
  app.post("/echo", async (c) => c.json(await c.req.json()));
  app.all("/fixed", () => res());
  return app;
}

const post = (app: Hono, body: string) =>
  app.request("/echo", { method: "POST", headers: { "content-type": "application/json" }, body });

describe("jsonBody", () => {
  const app = appAnswering(() => new Response(null));

  it("counts nesting without recursion, ignoring brackets inside strings", () => {
    expect(nestingDepth('{"a":[1,{"b":"[[[{{{"}]}')).toBe(3);
    expect(nestingDepth(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).toBe(100_000);
    expect(nestingDepth('"\\"[["')).toBe(0);
  });

  it(`refuses JSON nested deeper than ${MAX_JSON_DEPTH} levels with a 400, and passes ${MAX_JSON_DEPTH}`, async () => {
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;
    const refused = await post(app, deep(MAX_JSON_DEPTH + 1));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: "bad_request",
      message: `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
    });
    expect((await post(app, deep(MAX_JSON_DEPTH))).status).toBe(200);
  });

  it("refuses an email longer than any mail server takes, and passes a long valid one", async () => {
    const long = `${"a".repeat(250)}@example.com`;
    const refused = await post(app, JSON.stringify({ email: long }));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toBe(
      "email is longer than 254 characters.",
    );
    expect((await post(app, JSON.stringify({ newEmail: long }))).status).toBe(400);
    expect((await post(app, JSON.stringify({ email: `${"a".repeat(64)}@example.com` }))).status).toBe(200);
  });
});

describe("jsonErrors", () => {
  it("gives a bodiless error a JSON body and keeps its headers", async () => {
    const app = appAnswering(
      () => new Response(null, { status: 401, headers: { "www-authenticate": "Bearer" } }),
    );
    const res = await app.request("/fixed");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(await res.json()).toEqual({ error: "unauthorized", message: "The request was refused." });
  });

  it("leaves errors with a body, and successes, alone", async () => {
    const body = JSON.stringify({ code: "X", message: "y" });
    const app = appAnswering(() => new Response(body, { status: 403 }));
    expect(await (await app.request("/fixed")).text()).toBe(body);
    const ok = appAnswering(() => new Response(null, { status: 204 }));
    expect((await ok.request("/fixed")).status).toBe(204);
  });
});

describe("retryAfter", () => {
  it("turns Better Auth's limiter answer into Retry-After and authform's JSON", async () => {
    const app = appAnswering(
      () =>
        new Response(JSON.stringify({ message: "Too many requests. Please try again later." }), {
          status: 429,
          headers: { "x-retry-after": "42" },
        }),
    );
    const res = await app.request("/fixed");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("42");
    expect(await res.json()).toEqual({
      error: "rate_limited",
      code: "TOO_MANY_REQUESTS",
      message: "Too many requests. Try again in 42 s.",
      retryAfter: 42,
    });
  });

  it("keeps a plugin's own 429 body and adds Retry-After from its milliseconds", async () => {
    const body = { code: "RATE_LIMITED", message: "Rate limit exceeded.", details: { tryAgainIn: 1500 } };
    const app = appAnswering(() => new Response(JSON.stringify(body), { status: 429 }));
    const res = await app.request("/fixed");
    expect(res.headers.get("retry-after")).toBe("2");
    expect(await res.json()).toEqual(body);
  });
});
