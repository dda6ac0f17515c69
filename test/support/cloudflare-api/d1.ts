/** The stand-in's D1: databases by uuid, each a real SQLite database (Miniflare's D1, the engine local stages use). */
import { randomUUID } from "node:crypto";
import { Miniflare } from "miniflare";
import { ApiFailure } from "./envelope.ts";
import { splitStatements } from "./sql-statements.ts";

/** The database object D1's API returns (create, get, list, patch). */
export interface D1DatabaseObject {
  uuid: string;
  name: string;
  created_at: string;
  version: "production";
  num_tables: number;
  file_size: number;
  running_in_region: string;
  read_replication: { mode: "auto" | "disabled" };
  jurisdiction: "eu" | "fedramp" | null;
}

/** One statement's answer in the query endpoint's `result` array. */
export interface D1QueryResult {
  results: Record<string, unknown>[];
  success: true;
  meta: Record<string, unknown>;
}

interface Slot {
  binding: string;
  db: D1Database;
}

/**
 * A fixed pool of isolated SQLite databases, declared when Miniflare starts (it cannot add D1
 * bindings later); the pool size is the account's database limit, as on Cloudflare's plans.
 */
export class D1Store {
  private readonly databases = new Map<string, D1DatabaseObject & { slot: Slot }>();
  private readonly free: string[];

  private constructor(
    private readonly mf: Miniflare,
    slots: string[],
  ) {
    this.free = slots;
  }

  static async start(limit: number): Promise<D1Store> {
    const slots = Array.from({ length: limit }, (_, i) => `DB${i}`);
    const mf = new Miniflare({
      modules: true,
      script: "export default { fetch() { return new Response(null); } };",
      d1Databases: Object.fromEntries(slots.map((s) => [s, `stand-in-${s.toLowerCase()}`])),
    });
    await mf.ready;
    return new D1Store(mf, slots);
  }

  async dispose(): Promise<void> {
    await this.mf.dispose();
  }

  async create(body: { name?: unknown; primary_location_hint?: unknown; jurisdiction?: unknown }) {
    if (typeof body.name !== "string" || !/^[a-z0-9][a-z0-9-_]{0,63}$/i.test(body.name)) {
      throw new ApiFailure(400, 7400, "The request is malformed: name must be a valid database name.");
    }
    if (this.findByName(body.name)) {
      throw new ApiFailure(400, 7502, `A database with that name already exists: ${body.name}`);
    }
    const binding = this.free.shift();
    if (!binding) {
      throw new ApiFailure(400, 7406, "This account has reached its maximum number of D1 databases.");
    }
    const record: D1DatabaseObject & { slot: Slot } = {
      uuid: randomUUID(),
      name: body.name,
      created_at: new Date().toISOString(),
      version: "production",
      num_tables: 0,
      file_size: 0,
      running_in_region:
        typeof body.primary_location_hint === "string" ? body.primary_location_hint.toUpperCase() : "WNAM",
      read_replication: { mode: "disabled" },
      jurisdiction: body.jurisdiction === "eu" || body.jurisdiction === "fedramp" ? body.jurisdiction : null,
      slot: { binding, db: await this.mf.getD1Database(binding) },
    };
    this.databases.set(record.uuid, record);
    return this.describe(record);
  }

  list(name?: string): D1DatabaseObject[] {
    return [...this.databases.values()]
      .filter((d) => name === undefined || d.name === name)
      .map((d) => this.view(d));
  }

  async get(id: string): Promise<D1DatabaseObject> {
    return this.describe(this.require(id));
  }

  async setReadReplication(id: string, body: { read_replication?: { mode?: unknown } }) {
    const record = this.require(id);
    const mode = body.read_replication?.mode;
    if (mode !== "auto" && mode !== "disabled") {
      throw new ApiFailure(
        400,
        7400,
        "The request is malformed: read_replication.mode must be auto or disabled.",
      );
    }
    record.read_replication = { mode };
    return this.describe(record);
  }

  delete(id: string): void {
    this.require(id);
    // The slot is not reused: a deleted database's data must never reappear under a new uuid.
    this.databases.delete(id);
  }

  /** The query endpoint: every statement of `sql` in one atomic batch, one result per statement. */
  async query(id: string, body: { sql?: unknown; params?: unknown }): Promise<D1QueryResult[]> {
    const { slot } = this.require(id);
    if (typeof body.sql !== "string" || body.sql.trim() === "") {
      throw new ApiFailure(400, 7400, "The request is malformed: sql is required.");
    }
    const params = Array.isArray(body.params) ? body.params : [];
    let statements: string[];
    try {
      statements = splitStatements(body.sql);
    } catch (err) {
      throw new ApiFailure(400, 7500, (err as Error).message);
    }
    if (params.length > 0 && statements.length > 1) {
      throw new ApiFailure(400, 7500, "params are only allowed with a single statement.");
    }
    try {
      const prepared = statements.map((s) => slot.db.prepare(s).bind(...params));
      const results = await slot.db.batch(prepared);
      return results.map((r) => ({
        results: (r.results ?? []) as Record<string, unknown>[],
        success: true,
        meta: r.meta as unknown as Record<string, unknown>,
      }));
    } catch (err) {
      throw new ApiFailure(400, 7500, `${(err as Error).message.replace(/^D1_ERROR: /, "")}`);
    }
  }

  /** For tests: rows of a query against a database found by name (or uuid). */
  async rows<T = Record<string, unknown>>(nameOrId: string, sql: string): Promise<T[]> {
    const record = this.databases.get(nameOrId) ?? this.findByName(nameOrId);
    if (!record) throw new Error(`no D1 database ${nameOrId} in the stand-in`);
    return (await record.slot.db.prepare(sql).all()).results as T[];
  }

  has(id: string): boolean {
    return this.databases.has(id);
  }

  private findByName(name: string) {
    return [...this.databases.values()].find((d) => d.name === name);
  }

  private require(id: string) {
    const record = this.databases.get(id);
    if (!record) throw new ApiFailure(404, 7404, `The database ${id} could not be found.`);
    return record;
  }

  private async describe(record: D1DatabaseObject & { slot: Slot }): Promise<D1DatabaseObject> {
    const tables = await record.slot.db
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'")
      .first<{ n: number }>();
    record.num_tables = tables?.n ?? 0;
    return this.view(record);
  }

  private view({ slot: _slot, ...object }: D1DatabaseObject & { slot: Slot }): D1DatabaseObject {
    return { ...object, read_replication: { ...object.read_replication } };
  }
}
