/** The production stage's custom domains: the API and Account hostnames bound to the stage's one Worker. */
import {
  CustomDomain,
  type CustomDomain as CustomDomainOutput,
  createCloudflareApi,
  getZoneByDomain,
} from "alchemy/cloudflare";
import type { DeploymentPlan } from "../plan/types.ts";

/**
 * Binds each of the plan's hostnames to the Worker (Cloudflare creates the DNS record and the
 * certificate). One resource per hostname, keyed by it: renaming a domain creates the new binding
 * and finalize deletes the old one. Previews and local stacks have none.
 */
export async function provisionCustomDomains(
  plan: DeploymentPlan,
  workerName: string,
): Promise<CustomDomainOutput[]> {
  if (plan.mode !== "deploy" || plan.customDomains.length === 0) return [];
  const zoneIds = new Map<string, string>();
  for (const zone of new Set(plan.customDomains.flatMap((d) => d.zone ?? []))) {
    zoneIds.set(zone, await zoneIdOf(zone));
  }
  const bound: CustomDomainOutput[] = [];
  for (const { hostname, zone } of plan.customDomains) {
    const zoneId = zone === undefined ? undefined : zoneIds.get(zone);
    bound.push(
      await CustomDomain(`custom-domain-${hostname}`, {
        name: hostname,
        // Absent: Alchemy picks the closest zone on the account that holds the hostname.
        ...(zoneId === undefined ? {} : { zoneId }),
        workerName,
        // Never take a hostname from another Worker: Cloudflare refuses, and the deploy says so.
        adopt: false,
      }),
    );
  }
  return bound;
}

/** The configured zone's id; a zone not on the account fails before any binding or route is made. */
export async function zoneIdOf(zone: string): Promise<string> {
  const api = await createCloudflareApi();
  const found = await getZoneByDomain(api, zone);
  if (!found) {
    throw new Error(
      `runtime.domains.zone "${zone}" is not a zone on Cloudflare account ${api.accountId}. Add the domain to the account (Cloudflare dashboard → Add a domain), or fix zone.`,
    );
  }
  return found.id;
}
