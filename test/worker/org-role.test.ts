/** orgRoles runs in the request's D1 session: counted with the request's statements, and at least as fresh as its bookmark. */
import { Hono } from "hono";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orgRoles } from "../../worker/api/org-role.ts";
import { BOOKMARK_HEADER, d1Sessions, QUERY_COUNT_HEADER } from "../../worker/db/d1-session.ts";
import type { WorkerEnv } from "../../worker/env.ts";

let mf: Miniflare;
let env: WorkerEnv;

beforeAll(async () => {
  mf = new Miniflare({
    modules: true,
    script: "export default { fetch() { return new Response(null); } };",
    d1Databases: { DB: "org-role-test" },
  });
  const db = await mf.getD1Database("DB");
  await db.batch([
    db.prepare("CREATE TABLE member (id TEXT PRIMARY KEY, userId TEXT, organizationId TEXT, role TEXT)"),
    db.prepare("INSERT INTO member VALUES ('m1', 'u1', 'o1', 'admin,member')"),
  ]);
  env = {
    DB: db,
    AUTHFORM_COUNT_D1_QUERIES: "1",
    BETTER_AUTH_URL: "http://localhost:8787",
  } as WorkerEnv;
});

afterAll(async () => {
  await mf?.dispose();
});

function app() {
  const hono = new Hono<{ Bindings: WorkerEnv }>();
  hono.use("*", d1Sessions);
  hono.get("/api/v1/orgs/:org/me", async (c) =>
    c.json({ roles: (await orgRoles(c.env, c.req.query("user") ?? "", c.req.param("org"))) ?? null }),
  );
  return hono;
}

describe("orgRoles", () => {
  it("reads the member's roles through the request's D1 session, and the request counts it", async () => {
    const res = await app().request("/api/v1/orgs/o1/me?user=u1", {}, env);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ roles: ["admin", "member"] });
    expect(res.headers.get(QUERY_COUNT_HEADER)).toBe("1");
    // The session that ran it hands its bookmark back, so the read happened inside it.
    expect(res.headers.get(BOOKMARK_HEADER)).toMatch(/^[0-9a-f]+(-[0-9a-f]+)*$/);
  });

  it("is undefined for someone who is not a member", async () => {
    const res = await app().request("/api/v1/orgs/o1/me?user=u2", {}, env);
    expect(await res.json()).toEqual({ roles: null });
    expect(res.headers.get(QUERY_COUNT_HEADER)).toBe("1");
  });
});
