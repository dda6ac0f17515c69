/** The SES identity's Easy DKIM CNAMEs, written into the configured Cloudflare zone when it holds the sending domain. */
import { createCloudflareApi, DnsRecords, getZoneByDomain } from "alchemy/cloudflare";
import { domainMatches } from "../plan/domains.ts";
import type { DeploymentPlan } from "../plan/types.ts";
import type { SesIdentity } from "./ses-identity.ts";

/** DKIM records this run keeps in a zone: the post-deploy report says where they went. */
export interface SesDnsWritten {
  zone: string;
  zoneId: string;
  names: string[];
}

/**
 * The configured zone (runtime.domains.zone) that holds the identity's domain, if any. Only the
 * production stage has domains, so a preview sending from the same domain never writes (and on
 * its destroy never deletes) the records production's mail depends on.
 */
export function dkimZoneFor(plan: DeploymentPlan, identity: SesIdentity): string | undefined {
  if (plan.mode !== "deploy" || identity.identityType !== "DOMAIN") return undefined;
  const zones = new Set(plan.customDomains.flatMap((d) => (d.zone === undefined ? [] : [d.zone])));
  return [...zones].find((zone) => domainMatches(identity.identity, zone));
}

/**
 * Writes the three DKIM CNAMEs (unproxied: SES must see them as they are) with Alchemy's
 * DnsRecords. Only for an identity this stage created: records of an identity that was there
 * before belong to whoever made it, and destroying the stage must not take them away. One
 * resource per zone, region and domain: a new EMAIL_FROM domain creates its records and
 * finalize deletes the old ones. Unchanged props are skipped (no Cloudflare write).
 */
export async function provisionSesDns(
  plan: DeploymentPlan,
  identity: SesIdentity,
): Promise<SesDnsWritten | undefined> {
  const zone = dkimZoneFor(plan, identity);
  if (zone === undefined || !identity.created || identity.dnsRecords.length === 0) return undefined;
  const zoneId = await zoneIdOf(zone);
  const written = await DnsRecords(`ses-dkim-${zone}-${identity.region}-${identity.identity}`, {
    zoneId,
    records: identity.dnsRecords.map((r) => ({
      type: r.type,
      name: r.name,
      content: r.value,
      proxied: false,
      ttl: 1,
      comment: `SES Easy DKIM for ${identity.identity} (authform ${plan.app} ${plan.stage})`,
    })),
  });
  return { zone, zoneId, names: written.records.map((r) => r.name) };
}

/** The zone's id; a zone not on the account fails the deploy before anything is written. */
async function zoneIdOf(zone: string): Promise<string> {
  const api = await createCloudflareApi();
  const found = await getZoneByDomain(api, zone);
  if (!found) {
    throw new Error(
      `runtime.domains.zone "${zone}" is not a zone on Cloudflare account ${api.accountId}: the SES DKIM records cannot be written there. Add the domain to the account (Cloudflare dashboard → Add a domain), or fix zone.`,
    );
  }
  return found.id;
}
