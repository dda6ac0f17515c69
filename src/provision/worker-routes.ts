/** Routes mode: the production stage's Worker routes, mounting authform's paths on an API hostname something else serves. */
import { Route, type Route as RouteOutput } from "alchemy/cloudflare";
import type { DeploymentPlan } from "../plan/types.ts";
import { zoneIdOf } from "./custom-domains.ts";

/**
 * Creates one Worker route per planned pattern, bound to the stage's Worker. Each resource is keyed
 * by its zone and path (`/auth/v1/*`), not its hostname: renaming the API hostname in the same
 * zone updates the routes in place, and a pattern that is no longer planned (oauthProvider turned
 * off, a switch back to a custom domain) is deleted by finalize. Previews and local stacks have none.
 */
export async function provisionWorkerRoutes(
  plan: DeploymentPlan,
  workerName: string,
): Promise<RouteOutput[]> {
  if (plan.mode !== "deploy" || plan.workerRoutes.length === 0) return [];
  const zoneIds = new Map<string, string>();
  for (const zone of new Set(plan.workerRoutes.map((r) => r.zone))) zoneIds.set(zone, await zoneIdOf(zone));
  const routes: RouteOutput[] = [];
  for (const { pattern, zone } of plan.workerRoutes) {
    routes.push(
      await Route(routeId(zone, pattern), {
        pattern,
        script: workerName,
        zoneId: zoneIds.get(zone) as string,
        // No `adopt` prop: it follows the scope, which adopts only when a killed run left a resource
        // half-created (adoptIfRecovering). Otherwise a pattern the zone already routes is refused
        // by Cloudflare and the deploy says so: never take a path from the hostname's owner.
      }),
    );
  }
  return routes;
}

/** `worker-route-example.com-auth-v1`: a state key without the pattern's `/` and `*`. */
function routeId(zone: string, pattern: string): string {
  const path = pattern.slice(pattern.indexOf("/"));
  const slug = path
    .replace(/[^a-z0-9.-]+/gi, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .replace(/-+/g, "-");
  return `worker-route-${zone}-${slug}`;
}
