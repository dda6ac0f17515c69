/** worker/db/schema.ts and migrations/ against the tables Better Auth 1.7 writes with every authform plugin. */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { apiKey } from "@better-auth/api-key";
import type { BetterAuthOptions } from "@better-auth/core";
import { type DBFieldAttribute, getAuthTables } from "@better-auth/core/db";
import {
  diffSchema,
  getDatabaseFieldIndexName,
  getExpectedSchema,
  type IntrospectedTable,
} from "@better-auth/core/db/internal";
import { oauthProvider } from "@better-auth/oauth-provider";
import { passkey } from "@better-auth/passkey";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { getSchema } from "better-auth/db";
import { betterAuth } from "better-auth/minimal";
import { admin, anonymous, emailOTP, jwt, magicLink, organization, twoFactor } from "better-auth/plugins";
import { getTableColumns, is, SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import {
  getTableConfig,
  SQLiteBoolean,
  type SQLiteColumn,
  SQLiteInteger,
  SQLiteText,
  SQLiteTimestamp,
} from "drizzle-orm/sqlite-core";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORE_TABLES, PLUGIN_NAMES, PLUGIN_TABLES } from "../../src/contract/plugins.ts";
import { totpReplayGuard } from "../../worker/auth/plugins/two-factor/totp-replay.ts";
import { authformSchema, schema } from "../../worker/db/schema.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const MIGRATIONS = path.join(ROOT, "migrations");
const BREAKPOINT = "--> statement-breakpoint";

/**
 * Every plugin authform can enable, at the options that shape tables (Better Auth's defaults: a
 * runtime module's own defaults, such as apiKey's rate limit window, only change values Better Auth
 * writes itself), authform's own fields on them, and D1 rate limiting.
 */
const options = {
  rateLimit: { storage: "database" }, // worker/auth/rate-limit.ts without secondary storage
  plugins: [
    anonymous(),
    emailOTP({ sendVerificationOTP: async () => {} }),
    magicLink({ sendMagicLink: async () => {} }),
    passkey(),
    jwt(),
    apiKey(),
    organization(),
    oauthProvider({ loginPage: "/login", consentPage: "/consent" }),
    twoFactor(),
    // Its hook never runs here; only its field on twoFactor matters.
    totpReplayGuard({} as D1Database),
    admin(),
  ],
} satisfies BetterAuthOptions;

const authTables = getAuthTables(options);
const models = Object.entries(authTables).filter(([, t]) => !t.disableMigrations);
type SchemaKey = keyof typeof schema;
const schemaKeys = Object.keys(schema) as SchemaKey[];
/** Every table of schema.ts: Better Auth's, and authform's own, which Better Auth never sees. */
const allTables = { ...schema, ...authformSchema };
type TableKey = keyof typeof allTables;
const tableKeys = Object.keys(allTables) as TableKey[];
const config = (model: string) => getTableConfig(schema[model as SchemaKey]);

/** Better Auth's `required` defaults to true (and `auth migrate` makes such columns NOT NULL). */
const isRequired = (field: DBFieldAttribute) => field.required !== false;

/** The drizzle column class and mode a Better Auth field type maps to on sqlite (see schema.ts header). */
function expectColumnType(column: SQLiteColumn, field: DBFieldAttribute, where: string) {
  const type = field.type;
  if (type === "date") {
    expect(
      is(column, SQLiteTimestamp) && column.mode === "timestamp_ms",
      `${where}: date → timestamp_ms`,
    ).toBe(true);
  } else if (type === "boolean") {
    expect(is(column, SQLiteBoolean), `${where}: boolean → integer boolean`).toBe(true);
  } else if (type === "number") {
    expect(is(column, SQLiteInteger), `${where}: number → integer`).toBe(true);
  } else {
    // string, enum-like string arrays, and string[]/number[]/json: the adapter JSON.stringifies the last
    // three itself on sqlite, so they are plain text (a json-mode column would encode them twice).
    expect(is(column, SQLiteText), `${where}: ${String(type)} → plain text`).toBe(true);
  }
}

/** What drizzle's own `.default(…)` holds for a Better Auth static default. */
function drizzleDefault(value: unknown): unknown {
  return Array.isArray(value) || (typeof value === "object" && value !== null)
    ? JSON.stringify(value)
    : value;
}

describe("schema.ts covers every table and field Better Auth expects", () => {
  it("has exactly Better Auth's tables (the catalogue's, rateLimit included), under its model names", () => {
    const expected = models.map(([, t]) => t.modelName).sort();
    const own = new Set(Object.keys(authformSchema));
    const catalogued = [...CORE_TABLES, ...PLUGIN_NAMES.flatMap((name) => PLUGIN_TABLES[name])];
    expect(expected).toEqual(catalogued.filter((table) => !own.has(table)).sort());
    expect(expected).toContain("rateLimit");
    expect([...schemaKeys].sort()).toEqual(expected);
    for (const key of schemaKeys) expect(getTableConfig(schema[key]).name).toBe(key);
  });

  it("keeps authform's own tables apart: none is a Better Auth model, each under its key", () => {
    const betterAuthNames = models.map(([, t]) => t.modelName);
    for (const key of Object.keys(authformSchema) as (keyof typeof authformSchema)[]) {
      expect(betterAuthNames).not.toContain(key);
      expect(getTableConfig(authformSchema[key]).name).toBe(key);
    }
  });

  it("has a column per field, named exactly as the field, with matching type, nullability, default", () => {
    for (const [model, table] of models) {
      const { columns } = config(model);
      const byKey: Record<string, SQLiteColumn> = getTableColumns(schema[model as SchemaKey]);
      const expectedNames = ["id", ...Object.entries(table.fields).map(([k, f]) => f.fieldName ?? k)];
      // No column Better Auth does not write: a NOT NULL one would break every insert.
      expect(columns.map((c) => c.name).sort(), model).toEqual([...expectedNames].sort());
      const id = columns.find((c) => c.name === "id");
      expect(id?.primary && is(id, SQLiteText), `${model}.id: text primary key`).toBe(true);

      for (const [key, field] of Object.entries(table.fields)) {
        const name = field.fieldName ?? key;
        const where = `${model}.${name}`;
        const column = columns.find((c) => c.name === name);
        if (!column) throw new Error(`${where} is missing`);
        // The drizzle adapter addresses columns by property key, Kysely by SQL name: both must match.
        expect(byKey[name], where).toBe(column);
        expect(column.notNull, `${where} NOT NULL`).toBe(isRequired(field));
        expectColumnType(column, field, where);
        if (typeof field.defaultValue === "function") {
          expect(column.hasDefault, `${where} has a default`).toBe(true);
        } else if (field.defaultValue !== undefined) {
          expect(column.default, `${where} default`).toEqual(drizzleDefault(field.defaultValue));
        }
        if (field.onUpdate) expect(column.onUpdateFn, `${where} $onUpdate`).toBeTypeOf("function");
      }
    }
  });

  it("declares Better Auth's unique fields, field indexes and table indexes", () => {
    const tableIndexes = getSchema(options);
    for (const [model, table] of models) {
      const { columns, indexes } = config(model);
      const described = indexes.map((i) => ({
        name: i.config.name,
        unique: i.config.unique,
        columns: i.config.columns.map((c) => (is(c, SQL) ? "<sql>" : c.name)),
      }));
      for (const [key, field] of Object.entries(table.fields)) {
        const name = field.fieldName ?? key;
        const uniqueColumn = columns.find((c) => c.name === name)?.isUnique === true;
        const uniqueIndex = described.some(
          (i) => i.unique && i.columns.length === 1 && i.columns[0] === name,
        );
        expect(uniqueColumn || uniqueIndex, `${model}.${name} unique`).toBe(field.unique === true);
        if (field.index) {
          // Same name Better Auth's generators give it, so `auth migrate` would recognise it.
          expect(described, `${model}.${name} index`).toContainEqual({
            name: getDatabaseFieldIndexName(model, name, field.unique === true),
            unique: field.unique === true,
            columns: [name],
          });
        }
      }
      for (const index of tableIndexes[table.modelName]?.indexes ?? []) {
        expect(described, `${model} table index`).toContainEqual({
          name: index.name,
          unique: index.unique === true,
          columns: [...index.columns],
        });
      }
    }
  });

  it("declares Better Auth's references, with its onDelete (cascade when unset)", () => {
    for (const [model, table] of models) {
      const fks = config(model).foreignKeys.map((fk) => {
        const ref = fk.reference();
        return {
          columns: ref.columns.map((c) => c.name),
          table: getTableConfig(ref.foreignTable).name,
          foreignColumns: ref.foreignColumns.map((c) => c.name),
          onDelete: fk.onDelete,
        };
      });
      const expected = Object.entries(table.fields).flatMap(([key, field]) =>
        field.references
          ? [
              {
                columns: [field.fieldName ?? key],
                table: authTables[field.references.model]?.modelName,
                foreignColumns: [field.references.field],
                onDelete: field.references.onDelete ?? "cascade",
              },
            ]
          : [],
      );
      expect(fks, model).toEqual(expect.arrayContaining(expected));
      expect(fks, model).toHaveLength(expected.length);
    }
  });

  it("passes the drizzle adapter's own start-up schema check (no SCHEMA_MISMATCH)", () => {
    // Same shape as @better-auth/drizzle-adapter's introspection: table key, column property key.
    const introspected: IntrospectedTable[] = schemaKeys.map((key) => ({
      name: key,
      columns: Object.entries(getTableColumns(schema[key])).map(([name, column]) => ({
        name,
        nullable: !column.notNull,
        hasDefault: column.hasDefault,
      })),
    }));
    expect(diffSchema(getExpectedSchema(options), introspected)).toEqual([]);
  });
});

// ---- migrations, applied to D1 (Miniflare's, the same engine Alchemy uses for local stages) ----

interface SqliteObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

async function migrationFiles(): Promise<{ name: string; sql: string }[]> {
  const names = (await readdir(MIGRATIONS)).filter((n) => n.endsWith(".sql")).sort();
  return Promise.all(
    names.map(async (name) => ({ name, sql: await readFile(path.join(MIGRATIONS, name), "utf8") })),
  );
}

describe("migrations/", () => {
  let mf: Miniflare;
  let split: D1Database;
  let whole: D1Database;

  beforeAll(async () => {
    mf = new Miniflare({
      modules: true,
      script: "export default { fetch() { return new Response(null); } };",
      d1Databases: { SPLIT: "split", WHOLE: "whole" },
    });
    split = await mf.getD1Database("SPLIT");
    whole = await mf.getD1Database("WHOLE");
  });
  afterAll(async () => {
    await mf?.dispose();
  });

  const objects = async (db: D1Database) =>
    (
      await db
        .prepare(
          "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name",
        )
        .all<SqliteObject>()
    ).results;

  it("apply in name order, both the way Alchemy applies them locally and remotely", async () => {
    const files = await migrationFiles();
    expect(files.map((f) => f.name)[0]).toBe("0000_init.sql");
    for (const { sql } of files) {
      // Local stages (Miniflare): split on drizzle-kit's markers, one batch per file.
      const statements = sql.split(BREAKPOINT).filter((s) => s.trim());
      await split.batch(statements.map((s) => split.prepare(s)));
      // Deploys (D1 HTTP API): the whole file as one multi-statement query, so every marker is read
      // by SQLite itself; `-->` starts with `--`, a line comment.
      await whole.prepare(sql).run();
    }
    const tables = (await objects(split)).filter((o) => o.type === "table").map((o) => o.name);
    expect(tables).toEqual([...tableKeys].sort());
    expect(await objects(whole)).toEqual(await objects(split));
  });

  it("create exactly what schema.ts declares: columns, keys, indexes, foreign keys", async () => {
    for (const key of tableKeys) {
      const { columns, indexes, foreignKeys } = getTableConfig(allTables[key]);
      const info = (
        await split
          .prepare('SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid')
          .bind(key)
          .all<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>()
      ).results;
      expect(
        info.map((c) => ({
          name: c.name,
          type: c.type.toLowerCase(),
          notNull: c.notnull === 1,
          pk: c.pk === 1,
          hasDefault: c.dflt_value !== null,
        })),
        key,
      ).toEqual(
        columns.map((c) => ({
          name: c.name,
          type: c.getSQLType(),
          notNull: c.notNull,
          pk: c.primary,
          // A SQL default only; drizzle also counts its client-side `$onUpdate` as one.
          hasDefault: c.default !== undefined,
        })),
      );

      const dbIndexes = (
        await split
          .prepare(
            `SELECT l.name AS name, l."unique" AS isUnique, group_concat(i.name, ',') AS cols
             FROM pragma_index_list(?1) AS l JOIN pragma_index_info(l.name) AS i
             WHERE l.origin = 'c' GROUP BY l.name ORDER BY l.name`,
          )
          .bind(key)
          .all<{ name: string; isUnique: number; cols: string }>()
      ).results.map((i) => ({ name: i.name, unique: i.isUnique === 1, columns: i.cols }));
      const declared = [
        ...indexes.map((i) => ({
          name: i.config.name,
          unique: i.config.unique,
          columns: i.config.columns.map((c) => (is(c, SQL) ? "<sql>" : c.name)).join(","),
        })),
        // drizzle-kit turns `.unique()` into a named unique index on sqlite.
        ...columns
          .filter((c) => c.isUnique)
          .map((c) => ({ name: c.uniqueName ?? "", unique: true, columns: c.name })),
      ].sort((a, b) => a.name.localeCompare(b.name));
      expect(dbIndexes, key).toEqual(declared);

      const dbFks = (
        await split
          .prepare('SELECT "from", "table", "to", on_delete FROM pragma_foreign_key_list(?)')
          .bind(key)
          .all<{ from: string; table: string; to: string; on_delete: string }>()
      ).results.map((f) => `${f.from}->${f.table}.${f.to} ${f.on_delete.toLowerCase()}`);
      const declaredFks = foreignKeys.map((fk) => {
        const ref = fk.reference();
        return `${ref.columns[0]?.name}->${getTableConfig(ref.foreignTable).name}.${ref.foreignColumns[0]?.name} ${fk.onDelete}`;
      });
      expect(dbFks.sort(), key).toEqual(declaredFks.sort());
    }
  });

  it("pass Better Auth's schema check for the Kysely D1 dialect too (same tables, same column names)", async () => {
    const introspected: IntrospectedTable[] = [];
    for (const { name } of (await objects(split)).filter((o) => o.type === "table")) {
      const info = await split
        .prepare('SELECT name, "notnull", dflt_value, pk FROM pragma_table_info(?)')
        .bind(name)
        .all<{ name: string; notnull: number; dflt_value: string | null; pk: number }>();
      introspected.push({
        name,
        columns: info.results.map((c) => ({
          name: c.name,
          nullable: c.notnull === 0 && c.pk === 0,
          hasDefault: c.dflt_value !== null,
        })),
      });
    }
    expect(diffSchema(getExpectedSchema(options), introspected)).toEqual([]);
  });

  it("round-trip a row of every table through Better Auth's drizzle adapter on D1", async () => {
    const db = await mf.getD1Database("SPLIT");
    const auth = betterAuth({
      ...options,
      baseURL: "http://localhost:8787",
      basePath: "/auth/v1",
      secret: randomBytes(32).toString("hex"),
      database: drizzleAdapter(drizzle(db, { schema }), { provider: "sqlite", schema }),
      telemetry: { enabled: false },
      logger: { level: "error" },
    });
    const { adapter } = await auth.$context;

    // Parents before children, so every reference points at a real row (D1 enforces foreign keys).
    const order: string[] = [];
    const visit = (model: string) => {
      if (order.includes(model)) return;
      for (const field of Object.values(authTables[model]?.fields ?? {})) {
        if (field.references && field.references.model !== model) visit(field.references.model);
      }
      order.push(model);
    };
    for (const [model] of models) visit(model);

    const rows = new Map<string, Record<string, unknown>>();
    for (const model of order) {
      const fields = Object.entries(authTables[model]?.fields ?? {});
      const data: Record<string, unknown> = {};
      for (const [key, field] of fields) {
        const ref = field.references;
        data[field.fieldName ?? key] = ref ? rows.get(ref.model)?.[ref.field] : sample(model, key, field);
      }
      const created = await adapter.create<Record<string, unknown>>({ model, data });
      rows.set(model, created);
      const found = await adapter.findOne<Record<string, unknown>>({
        model,
        where: [{ field: "id", value: String(created.id) }],
      });
      expect(found, model).toEqual({ ...data, id: created.id });

      // Stored once-encoded, as Kysely would store it: dates as epoch ms, JSON as valid JSON text.
      const raw = await db.prepare(`SELECT * FROM "${model}" WHERE id = ?`).bind(created.id).first();
      for (const [key, field] of fields) {
        if (field.transform?.input) continue; // the plugin encodes it itself (apikey.metadata)
        const name = field.fieldName ?? key;
        const value = data[name];
        const stored = raw?.[name];
        if (value instanceof Date) expect(stored, `${model}.${name}`).toBe(value.getTime());
        else if (typeof value === "boolean") expect(stored, `${model}.${name}`).toBe(value ? 1 : 0);
        else if (typeof value === "object" && value !== null) {
          expect(JSON.parse(String(stored)), `${model}.${name}`).toEqual(value);
        } else expect(stored, `${model}.${name}`).toBe(value);
      }
    }
    expect([...rows.keys()].sort()).toEqual([...schemaKeys].sort());
  });
});

/** A value of the field's type that survives a round trip exactly (ms-precision dates). */
function sample(model: string, key: string, field: DBFieldAttribute): unknown {
  const type = field.type;
  if (Array.isArray(type)) return type[0];
  switch (type) {
    case "string":
      return `${model}.${key}`;
    case "number":
      return 7;
    case "boolean":
      return true;
    case "date":
      return new Date(1_767_225_600_123);
    case "string[]":
      return ["a", "b"];
    case "number[]":
      return [1, 2];
    case "json":
      return { nested: ["x", 1] };
  }
}

// ---- drift: migrations/ must be what drizzle-kit generates from schema.ts today ----

describe("drizzle-kit", () => {
  it("finds nothing to generate: the committed migrations match schema.ts", async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), "authform-drift-"));
    try {
      await cp(MIGRATIONS, path.join(tmp, "migrations"), { recursive: true });
      // The real config, with output redirected to the copy (drizzle-kit only takes a relative `out`).
      await writeFile(
        path.join(tmp, "drizzle.config.ts"),
        [
          `import path from "node:path";`,
          `import config from ${JSON.stringify(path.join(ROOT, "drizzle.config.ts"))};`,
          `const abs = (p: string) => path.resolve(${JSON.stringify(ROOT)}, p);`,
          `const schema = Array.isArray(config.schema) ? config.schema.map(abs) : abs(config.schema);`,
          `export default { ...config, schema, out: "./migrations" };`,
          "",
        ].join("\n"),
      );
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        [
          path.join(ROOT, "node_modules", "drizzle-kit", "bin.cjs"),
          "generate",
          "--config",
          "drizzle.config.ts",
        ],
        { cwd: tmp },
      );
      // drizzle-kit exits 0 even when it fails, so judge by its output and by the files.
      expect(`${stdout}${stderr}`).toContain("No schema changes, nothing to migrate");
      expect(await tree(path.join(tmp, "migrations"))).toEqual(await tree(MIGRATIONS));
      // Alchemy applies every *.sql file, journalled or not: a stray one would bypass drizzle-kit.
      const journal: { entries: { tag: string }[] } = JSON.parse(
        await readFile(path.join(MIGRATIONS, "meta", "_journal.json"), "utf8"),
      );
      const files = (await migrationFiles()).map((f) => f.name);
      expect(files).toEqual(journal.entries.map((e) => `${e.tag}.sql`));
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

async function tree(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const e of entries.filter((e) => e.isFile())) {
    const full = path.join(e.parentPath, e.name);
    files[path.relative(dir, full)] = await readFile(full, "utf8");
  }
  return files;
}
