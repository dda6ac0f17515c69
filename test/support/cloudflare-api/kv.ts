/** The stand-in's Workers KV: namespaces by id (create, list, get, rename, delete) and their keys (bulk write). */
import { randomUUID } from "node:crypto";
import { ApiFailure, ok, type Reply } from "./envelope.ts";

/** A namespace as the KV API returns it (create, get, list, rename). */
export interface KvNamespaceObject {
  id: string;
  title: string;
  supports_url_encoding: boolean;
}

/** One stored key: its value and what the bulk write set with it. */
export interface KvEntry {
  value: string;
  /** Seconds since the epoch; absent when the key does not expire. */
  expiration?: number;
  metadata?: unknown;
}

/** Cloudflare's cap on namespaces per account. */
const NAMESPACE_LIMIT = 1000;
/** The documented bounds of the list endpoint's page size. */
const PER_PAGE = { min: 5, max: 1000, default: 20 };
/** KV's minimum TTL: shorter ones (or an expiration sooner than that) are refused. */
const MIN_TTL_SECONDS = 60;
const MAX_KEY_BYTES = 512;
const MAX_BULK = 10_000;

export class KvStore {
  private readonly namespaces = new Map<string, KvNamespaceObject & { entries: Map<string, KvEntry> }>();

  /** POST /storage/kv/namespaces `{ title }`: a title is unique within the account. */
  create(body: { title?: unknown }): KvNamespaceObject {
    const title = this.validTitle(body.title);
    if (this.findByTitle(title)) {
      throw new ApiFailure(400, 10014, "a namespace with this account ID and title already exists");
    }
    if (this.namespaces.size >= NAMESPACE_LIMIT) {
      throw new ApiFailure(400, 10026, "this account has reached its namespace limit");
    }
    // KV namespace ids are 32 hex characters.
    const id = randomUUID().replaceAll("-", "");
    this.namespaces.set(id, { id, title, supports_url_encoding: true, entries: new Map() });
    return this.view(this.require(id));
  }

  /**
   * GET /storage/kv/namespaces: one page, ordered by title (or id), with the pagination block
   * a client follows (`page * per_page < total_count` means more pages).
   */
  list(query: Record<string, string>): Reply {
    const page = positive(query.page, 1);
    const perPage = Math.min(
      Math.max(positive(query.per_page, PER_PAGE.default), PER_PAGE.min),
      PER_PAGE.max,
    );
    const order = query.order === "id" ? "id" : "title";
    const sorted = [...this.namespaces.values()].sort((a, b) => a[order].localeCompare(b[order]));
    if (query.direction === "desc") sorted.reverse();
    const items = sorted.slice((page - 1) * perPage, page * perPage).map((n) => this.view(n));
    const reply = ok(items);
    reply.body.result_info = {
      page,
      per_page: perPage,
      count: items.length,
      total_count: sorted.length,
      total_pages: Math.ceil(sorted.length / perPage),
    };
    return reply;
  }

  get(id: string): KvNamespaceObject {
    return this.view(this.require(id));
  }

  /** PUT /storage/kv/namespaces/:id `{ title }`: renames; the new title must be free. */
  rename(id: string, body: { title?: unknown }): KvNamespaceObject {
    const namespace = this.require(id);
    const title = this.validTitle(body.title);
    const holder = this.findByTitle(title);
    if (holder && holder.id !== id) {
      throw new ApiFailure(400, 10014, "a namespace with this account ID and title already exists");
    }
    namespace.title = title;
    return this.view(namespace);
  }

  /** DELETE: the namespace and every key in it. */
  delete(id: string): void {
    this.require(id);
    this.namespaces.delete(id);
  }

  /** PUT /storage/kv/namespaces/:id/bulk: an array of `{ key, value, expiration?, expiration_ttl?, metadata?, base64? }`. */
  bulkWrite(id: string, body: unknown): { successful_key_count: number; unsuccessful_keys: string[] } {
    const namespace = this.require(id);
    if (!Array.isArray(body)) throw new ApiFailure(400, 10026, "the request body must be an array of pairs");
    if (body.length > MAX_BULK) throw new ApiFailure(400, 10026, `at most ${MAX_BULK} pairs per request`);
    const now = Math.floor(Date.now() / 1000);
    const pending: [string, KvEntry][] = [];
    for (const pair of body as Record<string, unknown>[]) {
      const { key, value } = pair;
      if (typeof key !== "string" || key === "" || new TextEncoder().encode(key).length > MAX_KEY_BYTES) {
        throw new ApiFailure(400, 10019, "keys must be 1 to 512 bytes");
      }
      if (typeof value !== "string")
        throw new ApiFailure(400, 10026, `the value of '${key}' must be a string`);
      const entry: KvEntry = {
        value:
          pair.base64 === true
            ? new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)))
            : value,
      };
      const expiration = expiresAt(pair, now);
      if (expiration !== undefined) entry.expiration = expiration;
      if (pair.metadata !== undefined) entry.metadata = pair.metadata;
      pending.push([key, entry]);
    }
    for (const [key, entry] of pending) namespace.entries.set(key, entry);
    return { successful_key_count: pending.length, unsuccessful_keys: [] };
  }

  /** For tests: the keys a namespace holds (undefined when it does not exist). */
  entries(id: string): Map<string, KvEntry> | undefined {
    const namespace = this.namespaces.get(id);
    return namespace ? new Map(namespace.entries) : undefined;
  }

  /** For tests and the Worker upload: namespaces by title. */
  byTitle(title: string): KvNamespaceObject | undefined {
    const namespace = this.findByTitle(title);
    return namespace ? this.view(namespace) : undefined;
  }

  has(id: string): boolean {
    return this.namespaces.has(id);
  }

  private validTitle(title: unknown): string {
    if (typeof title !== "string" || title.trim() === "" || title.length > 512) {
      throw new ApiFailure(400, 10019, "title must be a non-empty string of at most 512 characters");
    }
    return title;
  }

  private findByTitle(title: string) {
    return [...this.namespaces.values()].find((n) => n.title === title);
  }

  private require(id: string) {
    const namespace = this.namespaces.get(id);
    if (!namespace) throw new ApiFailure(404, 10013, "namespace not found");
    return namespace;
  }

  private view({ entries: _entries, ...object }: KvNamespaceObject & { entries: Map<string, KvEntry> }) {
    return { ...object };
  }
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** The absolute expiry a pair asks for, refused when it is under KV's 60 s minimum. */
function expiresAt(pair: Record<string, unknown>, now: number): number | undefined {
  const { expiration, expiration_ttl: ttl } = pair;
  if (typeof ttl === "number") {
    if (ttl < MIN_TTL_SECONDS) {
      throw new ApiFailure(
        400,
        10033,
        `Invalid expiration_ttl of ${ttl}. Expiration TTL must be at least 60.`,
      );
    }
    return now + ttl;
  }
  if (typeof expiration === "number") {
    if (expiration < now + MIN_TTL_SECONDS) {
      throw new ApiFailure(400, 10033, "Invalid expiration: it must be at least 60 seconds in the future.");
    }
    return expiration;
  }
  return undefined;
}
