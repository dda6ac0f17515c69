/** The stand-in's zones and Workers custom domains (`/zones`, `/accounts/:id/workers/domains`), in Cloudflare's shapes. */
import { createHash, randomUUID } from "node:crypto";
import { ApiFailure } from "./envelope.ts";

/** A zone as `GET /zones` lists it (the fields Alchemy and people read). */
export interface ZoneObject {
  id: string;
  name: string;
  status: "active";
  paused: boolean;
  type: "full";
  account: { id: string; name: string };
  name_servers: string[];
  original_name_servers: string[] | null;
  created_on: string;
  modified_on: string;
  activated_on: string;
}

/** The zone a `/zones/:zone_id/<resource>` request names, or Cloudflare's 7003 for an unknown id. */
export function zoneById(zones: ZoneObject[], zoneId: string, resource: string): ZoneObject {
  const zone = zones.find((z) => z.id === zoneId);
  if (!zone) {
    throw new ApiFailure(
      400,
      7003,
      `Could not route to /zones/${zoneId}/${resource}, perhaps your object identifier is invalid?`,
    );
  }
  return zone;
}

/** A Worker custom domain as `/accounts/:id/workers/domains` answers it. */
export interface WorkerDomain {
  id: string;
  zone_id: string;
  zone_name: string;
  hostname: string;
  service: string;
  environment: string;
  cert_id: string;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export class DomainStore {
  readonly zones: ZoneObject[];
  private readonly domains = new Map<string, WorkerDomain>();

  constructor(
    accountId: string,
    zoneNames: string[],
    private readonly scriptExists: (name: string) => boolean,
  ) {
    const now = new Date().toISOString();
    this.zones = zoneNames.map((name) => ({
      id: createHash("md5").update(`zone:${name}`).digest("hex"),
      name,
      status: "active",
      paused: false,
      type: "full",
      account: { id: accountId, name: "authform tests" },
      name_servers: ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
      original_name_servers: null,
      created_on: now,
      modified_on: now,
      activated_on: now,
    }));
  }

  /** `GET /zones?name=`: exact name match, as Cloudflare filters. */
  listZones(query: Record<string, string>): ZoneObject[] {
    return this.zones.filter((z) => query.name === undefined || z.name === query.name);
  }

  /** `GET /accounts/:id/workers/domains`, with the documented filters. */
  list(query: Record<string, string> = {}): WorkerDomain[] {
    return [...this.domains.values()].filter(
      (d) =>
        (query.hostname === undefined || d.hostname === query.hostname) &&
        (query.service === undefined || d.service === query.service) &&
        (query.zone_id === undefined || d.zone_id === query.zone_id) &&
        (query.zone_name === undefined || d.zone_name === query.zone_name) &&
        (query.environment === undefined || d.environment === query.environment),
    );
  }

  /** `PUT /accounts/:id/workers/domains`: attach a hostname to a Worker (an upsert by hostname). */
  put(body: Record<string, unknown>): WorkerDomain {
    const hostname = body.hostname;
    const service = body.service;
    if (typeof hostname !== "string" || !HOSTNAME.test(hostname)) {
      throw new ApiFailure(400, 100101, "hostname is required and must be a valid hostname.");
    }
    if (typeof service !== "string" || service === "")
      throw new ApiFailure(400, 100102, "service is required.");
    const zone = this.zones.find((z) => z.id === body.zone_id || z.name === body.zone_name);
    if (!zone) throw new ApiFailure(404, 100111, "Zone not found.");
    if (hostname !== zone.name && !hostname.endsWith(`.${zone.name}`)) {
      throw new ApiFailure(400, 100117, `Hostname '${hostname}' is not in zone '${zone.name}'.`);
    }
    if (!this.scriptExists(service))
      throw new ApiFailure(404, 10007, "This Worker does not exist on your account.");
    const environment = typeof body.environment === "string" ? body.environment : "production";
    const existing = [...this.domains.values()].find((d) => d.hostname === hostname);
    if (existing && existing.service !== service && body.override_existing_origin !== true) {
      throw new ApiFailure(409, 100116, `Hostname '${hostname}' already in use by other custom domain.`);
    }
    const domain: WorkerDomain = {
      id: existing?.id ?? randomUUID().replace(/-/g, ""),
      zone_id: zone.id,
      zone_name: zone.name,
      hostname,
      service,
      environment,
      cert_id: existing?.cert_id ?? randomUUID(),
    };
    this.domains.set(domain.id, domain);
    return domain;
  }

  /** `DELETE /accounts/:id/workers/domains/:domain_id`. */
  delete(id: string): void {
    if (!this.domains.delete(id)) throw new ApiFailure(404, 100114, "Domain not found.");
  }
}
