/** The stand-in's Workers routes (`/zones/:zone_id/workers/routes`): pattern → script, per zone, in Cloudflare's shapes. */
import { randomUUID } from "node:crypto";
import { type ZoneObject, zoneById } from "./domains.ts";
import { ApiFailure } from "./envelope.ts";

/** A route as the Workers Routes API answers it (create, get, list, update). */
export interface WorkerRouteObject {
  id: string;
  pattern: string;
  /** Absent: the route disables Workers on matching requests. */
  script?: string;
}

/**
 * A documented route pattern: an optional scheme, a hostname that may start with `*` (or `*.`),
 * and a path whose only wildcard is a trailing `*`. No query string, no port.
 */
const PATTERN = /^(?:https?:\/\/)?(\*\.?)?([a-z0-9.-]+)(\/[^*?#\s]*\*?)$/;

export class RouteStore {
  private readonly routes = new Map<string, WorkerRouteObject & { zoneId: string }>();

  constructor(
    private readonly zones: () => ZoneObject[],
    private readonly scriptExists: (name: string) => boolean,
  ) {}

  /** Every route in every zone, for assertions. */
  all(): (WorkerRouteObject & { zone: string })[] {
    return [...this.routes.values()].map(({ zoneId, ...route }) => ({
      ...route,
      zone: this.zones().find((z) => z.id === zoneId)?.name ?? zoneId,
    }));
  }

  /** GET /zones/:zone_id/workers/routes */
  list(zoneId: string): WorkerRouteObject[] {
    this.zone(zoneId);
    return [...this.routes.values()].filter((r) => r.zoneId === zoneId).map(view);
  }

  /** POST /zones/:zone_id/workers/routes `{ pattern, script }` */
  create(zoneId: string, body: Record<string, unknown>): WorkerRouteObject {
    const route = this.checked(zoneId, body);
    const id = randomUUID().replaceAll("-", "");
    this.routes.set(id, { id, ...route, zoneId });
    return view({ id, ...route });
  }

  /** GET /zones/:zone_id/workers/routes/:route_id */
  get(zoneId: string, id: string): WorkerRouteObject {
    return view(this.require(zoneId, id));
  }

  /** PUT /zones/:zone_id/workers/routes/:route_id `{ pattern, script }`: replaces both. */
  update(zoneId: string, id: string, body: Record<string, unknown>): WorkerRouteObject {
    this.require(zoneId, id);
    const route = this.checked(zoneId, body, id);
    this.routes.set(id, { id, ...route, zoneId });
    return view({ id, ...route });
  }

  /** DELETE /zones/:zone_id/workers/routes/:route_id: answers the deleted route's id. */
  delete(zoneId: string, id: string): { id: string } {
    this.require(zoneId, id);
    this.routes.delete(id);
    return { id };
  }

  private zone(zoneId: string): ZoneObject {
    return zoneById(this.zones(), zoneId, "workers/routes");
  }

  private require(zoneId: string, id: string): WorkerRouteObject & { zoneId: string } {
    this.zone(zoneId);
    const route = this.routes.get(id);
    if (!route || route.zoneId !== zoneId) throw new ApiFailure(404, 10009, "Route not found.");
    return route;
  }

  /** The body's pattern and script, refused as Cloudflare refuses them. */
  private checked(
    zoneId: string,
    body: Record<string, unknown>,
    self?: string,
  ): { pattern: string; script?: string } {
    const zone = this.zone(zoneId);
    const { pattern, script } = body;
    const match = typeof pattern === "string" ? PATTERN.exec(pattern) : null;
    if (typeof pattern !== "string" || !match) {
      throw new ApiFailure(400, 10022, `Route pattern ${JSON.stringify(pattern)} is invalid.`);
    }
    const host = match[2] as string;
    // A leading `*` or `*.` widens the hostname; what follows it must still be in the zone.
    if (host !== zone.name && !host.endsWith(`.${zone.name}`)) {
      throw new ApiFailure(400, 10022, `Route pattern '${pattern}' is not in zone '${zone.name}'.`);
    }
    if (script !== undefined && (typeof script !== "string" || !this.scriptExists(script))) {
      throw new ApiFailure(
        400,
        10019,
        "Cannot configure a route for a Worker which does not exist. Please ensure this Worker exists and try again.",
      );
    }
    const taken = [...this.routes.values()].find(
      (r) => r.zoneId === zoneId && r.pattern === pattern && r.id !== self,
    );
    if (taken) throw new ApiFailure(409, 10020, "A route with the same pattern already exists.");
    return { pattern, ...(typeof script === "string" ? { script } : {}) };
  }
}

function view({ id, pattern, script }: WorkerRouteObject): WorkerRouteObject {
  return { id, pattern, ...(script === undefined ? {} : { script }) };
}
