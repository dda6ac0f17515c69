/**
 * The session lookup behind every get-session and /api/v1/me by cookie (Better Auth's
 * `findSession`: a session by its token, with its user), as one SQL statement built once per
 * isolate. Through the adapter, each lookup rebuilt the same statement: drizzle's relational query
 * (SQL assembled, a JSON subquery for the user, the row decoded) and the adapter factory's
 * per-field transforms, about 1 ms of CPU per request (docs/PERFORMANCE.md).
 *
 * Only that exact call is answered here; every other adapter call, and this one inside a
 * transaction, goes through the adapter as before. The row it returns is the adapter's, field for
 * field: the same keys in the same order, dates as Dates, booleans as booleans, ids as strings,
 * a missing user as `user: null` (test/db/session-lookup.test.ts compares the two for every field
 * the full plugin set adds). Each answer is decoded afresh, so a caller may change what it gets.
 */
import { getAuthTables } from "@better-auth/core/db";
import type { DBAdapter, Where } from "@better-auth/core/db/adapter";
import { safeJSONParse } from "@better-auth/core/utils/json";
import type { BetterAuthOptions } from "better-auth";
import { getTableName } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { requestReads } from "./d1-session.ts";

type AdapterFactory = (options: BetterAuthOptions) => DBAdapter<BetterAuthOptions>;
type FieldAttributes = ReturnType<typeof getAuthTables>[string]["fields"][string];
type FindOne = DBAdapter<BetterAuthOptions>["findOne"];

/** One field of the answer: its key, the column it is read from, and how the adapter would have read it. */
interface OutputField {
  key: string;
  column: string;
  read: (value: unknown) => unknown;
}

/** Tables keyed by Better Auth model name, columns keyed by field name (worker/db/schema.ts). */
type DrizzleSchema = Record<string, SQLiteTable>;

export function sessionLookupInOneStatement<F extends AdapterFactory>(
  factory: F,
  d1: D1Database,
  schema: DrizzleSchema,
): F {
  const wrapped = (options: BetterAuthOptions) => {
    const adapter = factory(options);
    const lookup = sessionLookup(options, schema);
    const findOne: FindOne = adapter.findOne;
    // Mutated in place, as atomic-writes.ts does: Better Auth keys its schema check on the object.
    adapter.findOne = ((args: Parameters<FindOne>[0]) => {
      const token = sessionTokenOf(args);
      return token === undefined ? findOne(args) : lookup(d1, token);
    }) as FindOne;
    return adapter;
  };
  return wrapped as F;
}

/** The token, when the call is `findSession`'s exactly; undefined for every other call. */
function sessionTokenOf(args: {
  model: string;
  where?: Where[];
  select?: string[];
  join?: unknown;
}): string | undefined {
  if (args.model !== "session" || args.select !== undefined || args.where?.length !== 1) return undefined;
  const join = args.join as Record<string, unknown> | undefined;
  if (join?.user !== true || Object.keys(join).length !== 1) return undefined;
  const [where] = args.where as [Where];
  if (where.field !== "token" || typeof where.value !== "string") return undefined;
  if ((where.operator ?? "eq") !== "eq" || (where.mode ?? "sensitive") !== "sensitive") return undefined;
  if (where.connector !== undefined && where.connector !== "AND") return undefined;
  return where.value;
}

function sessionLookup(options: BetterAuthOptions, schema: DrizzleSchema) {
  const tables = getAuthTables(options);
  // The drizzle schema is keyed by Better Auth's default model names; a renamed model would need
  // its own table here, so it fails at startup instead of reading the wrong table.
  for (const model of ["session", "user"])
    if (tables[model]?.modelName !== model)
      throw new Error(`authform: the session lookup expects the ${model} model under its own name`);
  const session = outputFields(tables.session?.fields ?? {}, schema.session);
  const user = outputFields(tables.user?.fields ?? {}, schema.user);
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const columns = [
    ...session.map((f) => `s.${quote(f.column)}`),
    ...user.map((f) => `u.${quote(f.column)}`),
  ].join(", ");
  const userIdColumn = columnName(schema.session, fieldNameOf(tables.session?.fields ?? {}, "userId"));
  const sql =
    `select ${columns} from ${quote(tableName(schema.session))} s ` +
    `left join ${quote(tableName(schema.user))} u on u.${quote(columnName(schema.user, "id"))} = s.${quote(userIdColumn)} ` +
    `where s.${quote(columnName(schema.session, fieldNameOf(tables.session?.fields ?? {}, "token")))} = ? limit 1`;
  const userIdAt = session.length + user.findIndex((f) => f.key === "id");

  return async (d1: D1Database, token: string) => {
    // A second lookup of the token in one request (a before-hook and then the endpoint, each asking
    // for the session) reads the row once; any write of the request in between reads it afresh.
    const reads = requestReads();
    const key = `session-lookup\u0000${token}`;
    let rows = reads?.get(key);
    if (!rows) {
      rows = await d1.prepare(sql).bind(token).raw();
      reads?.set(key, rows);
    }
    const row = rows[0];
    if (!row) return null;
    const answer: Record<string, unknown> = {};
    for (let i = 0; i < session.length; i++) {
      const field = session[i] as OutputField;
      answer[field.key] = field.read(row[i]);
    }
    if (row[userIdAt] === null || row[userIdAt] === undefined) {
      answer.user = null;
      return answer;
    }
    const joined: Record<string, unknown> = {};
    for (let i = 0; i < user.length; i++) {
      const field = user[i] as OutputField;
      joined[field.key] = field.read(row[session.length + i]);
    }
    answer.user = joined;
    return answer;
  };
}

/**
 * The fields the adapter factory returns for a model, in its order (the schema's fields, then `id`),
 * each with how it reads the stored value: drizzle's column decoding, then the factory's rules.
 */
function outputFields(
  fields: Record<string, FieldAttributes>,
  table: SQLiteTable | undefined,
): OutputField[] {
  if (!table) throw new Error("authform: the session lookup needs the session and user tables");
  const all: [string, FieldAttributes | { type: "string" }][] = Object.entries(fields);
  if (!("id" in fields)) all.push(["id", { type: "string" }]);
  return all.map(([key, field]) => {
    const attrs = field as FieldAttributes;
    const name = attrs.fieldName || key;
    const column = columnOf(table, name);
    const isId = name === "id" || attrs.references?.field === "id";
    const transform = attrs.transform?.output;
    if (transform)
      throw new Error(`authform: ${key} has an output transform the session lookup does not run`);
    const decode = (value: unknown) =>
      value === null || value === undefined ? value : column.mapFromDriverValue(value);
    let read: (value: unknown) => unknown = decode;
    if (isId) read = (value) => (value === null || value === undefined ? value : String(decode(value)));
    else if (attrs.type === "json" || attrs.type === "string[]" || attrs.type === "number[]")
      read = (value) => {
        const decoded = decode(value);
        return typeof decoded === "string" ? safeJSONParse(decoded) : decoded;
      };
    else if (attrs.type === "date")
      read = (value) => {
        const decoded = decode(value);
        return decoded === null || decoded === undefined ? decoded : fromDriverDate(decoded);
      };
    return { key, column: column.name, read };
  });
}

/** @better-auth/drizzle-adapter's reading of a date column (a string without an offset is UTC). */
const DATE_TIME_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;
function fromDriverDate(value: unknown): Date {
  if (typeof value === "string" && DATE_TIME_WITHOUT_OFFSET.test(value))
    return new Date(`${value.replace(" ", "T")}Z`);
  return new Date(value as string | number | Date);
}

function fieldNameOf(fields: Record<string, FieldAttributes>, key: string): string {
  return fields[key]?.fieldName || key;
}

function columnOf(table: SQLiteTable, name: string): SQLiteColumn {
  const column = (table as unknown as Record<string, SQLiteColumn | undefined>)[name];
  if (!column) throw new Error(`authform: no column for field ${name} in the drizzle schema`);
  return column;
}

function columnName(table: SQLiteTable | undefined, name: string): string {
  if (!table) throw new Error("authform: the session lookup needs the session and user tables");
  return columnOf(table, name).name;
}

function tableName(table: SQLiteTable | undefined): string {
  if (!table) throw new Error("authform: the session lookup needs the session and user tables");
  return getTableName(table);
}
