/** The Cloudflare API stand-in keeps to Cloudflare's shapes: envelopes, errors, real SQL, checked uploads. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudflareApiStandIn } from "../support/cloudflare-api/index.ts";
import { splitStatements } from "../support/cloudflare-api/sql-statements.ts";

let api: CloudflareApiStandIn;
let acct: string;

beforeAll(async () => {
  api = await CloudflareApiStandIn.start({ databaseLimit: 2 });
  acct = `/accounts/${api.options.accountId}`;
});
afterAll(async () => {
  await api?.close();
});

async function call(method: string, path: string, body?: unknown, token = api.options.token) {
  const res = await fetch(`${api.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    json: (await res.json()) as { success: boolean; errors: unknown[]; result: unknown },
  };
}

function upload(
  name: string,
  metadata: unknown,
  modules: Record<string, string> = { "worker.js": "export default {}" },
) {
  const form = new FormData();
  for (const [file, content] of Object.entries(modules)) {
    form.append(file, new Blob([content], { type: "application/javascript+module" }), file);
  }
  form.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
  return fetch(`${api.baseUrl}${acct}/workers/scripts/${name}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${api.options.token}` },
    body: form,
  }).then(async (res) => ({
    status: res.status,
    json: (await res.json()) as { success: boolean; errors: { message: string }[] },
  }));
}

describe("the stand-in", () => {
  it("answers an unknown route with Cloudflare's 404 envelope and records it as unhandled", async () => {
    const mark = api.mark();
    const res = await call("GET", `${acct}/r2/buckets`);
    expect(res).toEqual({
      status: 404,
      json: {
        success: false,
        errors: [{ code: 7000, message: "No route for that URI" }],
        messages: [],
        result: null,
      },
    });
    expect(api.since(mark)).toMatchObject([
      { method: "GET", path: `${acct}/r2/buckets`, handled: false, status: 404 },
    ]);
  });

  it("refuses a wrong token and another account", async () => {
    expect((await call("GET", `${acct}/d1/database`, undefined, "nope")).status).toBe(403);
    expect((await call("GET", "/accounts/someone-else/d1/database")).json.errors).toEqual([
      { code: 10000, message: "Authentication error" },
    ]);
  });

  it("runs D1 queries on a real SQLite database: one result per statement, atomic, errors as success:false", async () => {
    const created = await call("POST", `${acct}/d1/database`, { name: "stand-in-sql" });
    expect(created.json.success).toBe(true);
    const id = (created.json.result as { uuid: string }).uuid;
    const query = (sql: string) => call("POST", `${acct}/d1/database/${id}/query`, { sql });

    const batch = await query(
      "CREATE TABLE t (id TEXT PRIMARY KEY, n INT); INSERT INTO t VALUES ('a', 1); SELECT * FROM t;",
    );
    expect((batch.json.result as { results: unknown[] }[]).map((r) => r.results)).toEqual([
      [],
      [],
      [{ id: "a", n: 1 }],
    ]);

    const failed = await query("INSERT INTO t VALUES ('b', 2); INSERT INTO missing VALUES (1);");
    expect(failed.status).toBe(400);
    expect(failed.json.success).toBe(false);
    expect(JSON.stringify(failed.json.errors)).toContain("no such table: missing");
    // The batch was atomic: 'b' was rolled back with the failing statement.
    expect(await api.d1.rows("stand-in-sql", "SELECT id FROM t")).toEqual([{ id: "a" }]);

    expect((await call("GET", `${acct}/d1/database/${id}`)).json.result).toMatchObject({
      name: "stand-in-sql",
      num_tables: 1,
    });
  });

  it("keeps D1 names unique, enforces the account's database limit, and 404s unknown ids", async () => {
    expect((await call("POST", `${acct}/d1/database`, { name: "stand-in-sql" })).json.errors).toEqual([
      { code: 7502, message: "A database with that name already exists: stand-in-sql" },
    ]);
    expect((await call("POST", `${acct}/d1/database`, { name: "second" })).status).toBe(200);
    expect((await call("POST", `${acct}/d1/database`, { name: "third" })).status).toBe(400);
    const missing = await call("DELETE", `${acct}/d1/database/00000000-0000-0000-0000-000000000000`);
    expect(missing.status).toBe(404);
    expect(missing.json.success).toBe(false);
  });

  it("checks a Worker upload: main module present, bindings well-formed, D1 ids that exist", async () => {
    const [db] = api.d1.list("stand-in-sql");
    const good = {
      main_module: "worker.js",
      compatibility_date: "2025-09-01",
      bindings: [
        { type: "plain_text", name: "A", text: "1" },
        { type: "secret_text", name: "S", text: "shh" },
        { type: "d1", name: "DB", id: db?.uuid },
      ],
    };
    expect((await upload("checked", good)).status).toBe(200);
    expect((await upload("checked", { ...good, main_module: "other.js" })).json.errors[0]?.message).toContain(
      'No such module "other.js"',
    );
    expect(
      (await upload("checked", { ...good, bindings: [{ type: "d1", name: "DB", id: "nope" }] })).status,
    ).toBe(400);
    expect(
      (await upload("checked", { ...good, bindings: [{ type: "secret_text", name: "S" }] })).status,
    ).toBe(400);
    // Settings never give a secret's value back.
    const settings = await call("GET", `${acct}/workers/scripts/checked/settings`);
    expect((settings.json.result as { bindings: unknown[] }).bindings).toContainEqual({
      type: "secret_text",
      name: "S",
    });
    expect(JSON.stringify(settings.json)).not.toContain("shh");
  });

  it("answers a refused request with the refusal's error, and records it as refused", async () => {
    api.refuse({
      method: "DELETE",
      path: /\/workers\/scripts\/checked$/,
      status: 400,
      code: 10013,
      message: "no",
    });
    const refused = await call("DELETE", `${acct}/workers/scripts/checked`);
    expect(refused).toMatchObject({
      status: 400,
      json: { success: false, errors: [{ code: 10013, message: "no" }] },
    });
    expect(api.requests.at(-1)).toMatchObject({ refused: true, handled: true });
    expect(api.workers.get("checked")).toBeDefined();
    api.clearRefusals();
    expect((await call("DELETE", `${acct}/workers/scripts/checked`)).status).toBe(200);
    expect((await call("DELETE", `${acct}/workers/scripts/checked`)).status).toBe(404);
  });

  it("refuses only requests whose body matches, and withdraws one refusal leaving the others", async () => {
    const path = /\/storage\/kv\/namespaces$/;
    const withdrawA = api.refuse({
      method: "POST",
      path,
      body: (b) => (b as { title?: string }).title === "refused-a",
      code: 10026,
      message: "a",
    });
    api.refuse({
      method: "POST",
      path,
      body: (b) => (b as { title?: string }).title === "refused-b",
      code: 10026,
      message: "b",
    });
    const namespaces = `${acct}/storage/kv/namespaces`;
    expect((await call("POST", namespaces, { title: "refused-a" })).json.errors).toEqual([
      { code: 10026, message: "a" },
    ]);
    expect((await call("POST", namespaces, { title: "refused-b" })).json.errors).toEqual([
      { code: 10026, message: "b" },
    ]);
    expect((await call("POST", namespaces, { title: "another" })).status).toBe(200);
    withdrawA();
    expect((await call("POST", namespaces, { title: "refused-a" })).status).toBe(200);
    expect((await call("POST", namespaces, { title: "refused-b" })).status).toBe(400);
    api.clearRefusals();
    expect((await call("POST", namespaces, { title: "refused-b" })).status).toBe(200);
  });
});

describe("splitStatements", () => {
  it("splits on semicolons outside strings, identifiers and comments, and drops empty pieces", () => {
    expect(
      splitStatements(`CREATE TABLE "a;b" (x TEXT DEFAULT 'it''s; fine');--> statement-breakpoint
CREATE INDEX i ON \`a;b\` (x); /* ; */ ; -- trailing; comment`),
    ).toEqual([
      `CREATE TABLE "a;b" (x TEXT DEFAULT 'it''s; fine')`,
      "--> statement-breakpoint\nCREATE INDEX i ON `a;b` (x)",
    ]);
  });

  it("refuses trigger bodies rather than splitting them wrongly", () => {
    expect(() => splitStatements("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;")).toThrow(
      /TRIGGER/,
    );
  });
});
