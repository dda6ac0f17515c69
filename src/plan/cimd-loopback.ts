/** AUTHFORM_CIMD_LOOPBACK, checked: local mode only, readable, and only beside the OAuth provider. */
import type { ResolvedConfig } from "../config/types.ts";
import { parseCimdLoopback } from "../contract/cimd-loopback.ts";
import { nonEmpty } from "../contract/urls.ts";
import { CimdLoopbackError } from "./errors.ts";
import type { Mode } from "./types.ts";

/** The var to give the Worker (normalised), or nothing when the environment does not set it. */
export function planCimdLoopback(
  config: ResolvedConfig,
  env: Record<string, string | undefined>,
  mode: Mode,
): Record<string, string> {
  const value = nonEmpty(env.AUTHFORM_CIMD_LOOPBACK);
  if (value === undefined) return {};
  if (mode === "deploy") {
    throw new CimdLoopbackError([
      "it exists only for local mode and tests: a deployed Worker fetches client metadata documents from their own hosts. Unset it to deploy.",
    ]);
  }
  if (!config.auth.plugins.oauthProvider) {
    throw new CimdLoopbackError([
      "the config does not enable oauthProvider, which is what reads client metadata documents",
    ]);
  }
  const parsed = parseCimdLoopback(value);
  if ("problems" in parsed) throw new CimdLoopbackError(parsed.problems);
  return {
    AUTHFORM_CIMD_LOOPBACK: Object.entries(parsed.origins)
      .map(([from, to]) => `${from}=${to}`)
      .join(","),
  };
}
