/** oauthProvider.resources against the stage: a plain http (loopback) resource is for local mode only. */
import { isLoopbackHttpResource } from "../config/plugin-options/oauth-resources.ts";
import type { OAuthResource, ResolvedConfig } from "../config/types.ts";
import { OAuthResourcePlanError } from "./errors.ts";
import type { Mode } from "./types.ts";

export function checkOAuthResources(config: ResolvedConfig, mode: Mode): void {
  if (mode !== "deploy") return;
  const resources = (config.auth.plugins.oauthProvider?.resources ?? []) as OAuthResource[];
  const problems = resources
    .map((resource, index) => ({ resource, index }))
    .filter(({ resource }) => isLoopbackHttpResource(resource.url))
    .map(
      ({ resource, index }) =>
        `resources[${index}] is "${resource.url}": a loopback http server exists only on this machine, so a deployed Worker cannot issue tokens for it. Name the server's https URL to deploy (loopback resources are for local mode).`,
    );
  if (problems.length > 0) throw new OAuthResourcePlanError(problems);
}
