/** The stand-in's DNS records (`/zones/:zone_id/dns_records`), with Cloudflare's documented shapes and error codes. */
import { randomUUID } from "node:crypto";
import { type ZoneObject, zoneById } from "./domains.ts";
import { ApiFailure } from "./envelope.ts";

/** A DNS record as Cloudflare answers it (the fields of the documented record object that apply here). */
export interface DnsRecordObject {
  id: string;
  zone_id: string;
  zone_name: string;
  name: string;
  type: string;
  content: string;
  proxiable: boolean;
  proxied: boolean;
  /** 1 means automatic. */
  ttl: number;
  priority?: number;
  comment: string | null;
  tags: string[];
  settings: Record<string, unknown>;
  meta: Record<string, unknown>;
  created_on: string;
  modified_on: string;
}

const TYPES = new Set(["A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "CAA", "PTR"]);
const PROXIABLE = new Set(["A", "AAAA", "CNAME"]);
const NAME =
  /^(?=.{1,253}$)(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export class DnsStore {
  private readonly records = new Map<string, DnsRecordObject>();

  constructor(private readonly zones: () => ZoneObject[]) {}

  /** Every record of a zone (or of all zones), for assertions. */
  all(zoneId?: string): DnsRecordObject[] {
    return [...this.records.values()].filter((r) => zoneId === undefined || r.zone_id === zoneId);
  }

  /** `GET /zones/:zone_id/dns_records`: exact `name` and `type` (and `content`) filters, one page. */
  list(zoneId: string, query: Record<string, string>): DnsRecordObject[] {
    this.zone(zoneId);
    const name = query.name ?? query["name.exact"];
    const content = query.content ?? query["content.exact"];
    return this.all(zoneId).filter(
      (r) =>
        (name === undefined || r.name === name.toLowerCase()) &&
        (query.type === undefined || r.type === query.type) &&
        (content === undefined || r.content === content),
    );
  }

  /** `GET /zones/:zone_id/dns_records/:id`. */
  get(zoneId: string, id: string): DnsRecordObject {
    this.zone(zoneId);
    const record = this.records.get(id);
    if (!record || record.zone_id !== zoneId) throw new ApiFailure(404, 81044, "Record does not exist.");
    return record;
  }

  /** `POST /zones/:zone_id/dns_records`. */
  create(zoneId: string, body: Record<string, unknown>): DnsRecordObject {
    const zone = this.zone(zoneId);
    const now = new Date().toISOString();
    const record = this.validate(zone, body, {
      id: randomUUID().replace(/-/g, ""),
      created_on: now,
    });
    this.records.set(record.id, record);
    return record;
  }

  /** `PUT` (the whole record) or `PATCH` (only the fields sent) `/zones/:zone_id/dns_records/:id`. */
  update(zoneId: string, id: string, body: Record<string, unknown>, partial: boolean): DnsRecordObject {
    const zone = this.zone(zoneId);
    const existing = this.get(zoneId, id);
    const merged = partial
      ? {
          type: existing.type,
          name: existing.name,
          content: existing.content,
          ttl: existing.ttl,
          proxied: existing.proxied,
          comment: existing.comment,
          priority: existing.priority,
          ...body,
        }
      : body;
    const record = this.validate(zone, merged, { id, created_on: existing.created_on });
    this.records.set(id, record);
    return record;
  }

  /** `DELETE /zones/:zone_id/dns_records/:id`: answers `{ id }`. */
  delete(zoneId: string, id: string): { id: string } {
    this.get(zoneId, id);
    this.records.delete(id);
    return { id };
  }

  private zone(zoneId: string): ZoneObject {
    return zoneById(this.zones(), zoneId, "dns_records");
  }

  /** The record a create or update would store, after Cloudflare's checks. */
  private validate(
    zone: ZoneObject,
    body: Record<string, unknown>,
    fixed: { id: string; created_on: string },
  ): DnsRecordObject {
    const { type, content } = body;
    if (typeof type !== "string" || !TYPES.has(type))
      throw new ApiFailure(400, 9004, "DNS record type is invalid.");
    if (typeof body.name !== "string" || body.name === "")
      throw new ApiFailure(400, 9005, "DNS record name is required.");
    if (typeof content !== "string" || content === "")
      throw new ApiFailure(400, 9007, "Content is required.");
    // Cloudflare qualifies a relative name (or `@`) with the zone's and keeps names lowercase.
    const raw = body.name.toLowerCase().replace(/\.$/, "");
    const name =
      raw === "@"
        ? zone.name
        : raw === zone.name || raw.endsWith(`.${zone.name}`)
          ? raw
          : `${raw}.${zone.name}`;
    if (!NAME.test(name)) throw new ApiFailure(400, 9005, "DNS name is invalid.");
    const ttl = body.ttl === undefined ? 1 : body.ttl;
    if (typeof ttl !== "number" || !(ttl === 1 || (ttl >= 60 && ttl <= 86400))) {
      throw new ApiFailure(
        400,
        9021,
        "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic.",
      );
    }
    const proxied = body.proxied === true;
    if (proxied && !PROXIABLE.has(type))
      throw new ApiFailure(400, 9004, `A ${type} record cannot be proxied.`);
    const others = [...this.records.values()].filter((r) => r.zone_id === zone.id && r.id !== fixed.id);
    if (others.some((r) => r.name === name && r.type === type && r.content === content)) {
      throw new ApiFailure(400, 81058, "An identical record already exists.");
    }
    // A CNAME owns its name: no other record may sit beside it (RFC 1034 §3.6.2).
    if (others.some((r) => r.name === name && (type === "CNAME" || r.type === "CNAME"))) {
      throw new ApiFailure(400, 81053, "An A, AAAA, or CNAME record with that host already exists.");
    }
    return {
      id: fixed.id,
      zone_id: zone.id,
      zone_name: zone.name,
      name,
      type,
      content,
      proxiable: PROXIABLE.has(type),
      proxied,
      ttl,
      ...(typeof body.priority === "number" ? { priority: body.priority } : {}),
      comment: typeof body.comment === "string" ? body.comment : null,
      tags: Array.isArray(body.tags) ? body.tags.filter((t): t is string => typeof t === "string") : [],
      settings: {},
      meta: {},
      created_on: fixed.created_on,
      modified_on: new Date().toISOString(),
    };
  }
}
