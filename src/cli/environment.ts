/** Reads the environment once: which mode, which stage, and the settings Alchemy needs offline. */
import os from "node:os";
import type { Mode } from "../plan/types.ts";

/** Local state is on the developer's disk; this only keeps Alchemy's encryption from failing. */
export const LOCAL_ALCHEMY_PASSWORD = "authform-local-only";

export function detectMode(env: Record<string, string | undefined>, forceLocal: boolean): Mode {
  if (forceLocal) return "local";
  return env.CLOUDFLARE_API_TOKEN || env.CLOUDFLARE_API_KEY ? "deploy" : "local";
}

export function defaultStage(env: Record<string, string | undefined>): string {
  if (env.STAGE) return env.STAGE;
  // Bun reports "unknown" for os.userInfo() when USER is unset (containers, CI): that is no name.
  const name = env.USER || env.LOGNAME || os.userInfo().username;
  if (!name || name === "unknown") return "dev";
  const user = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-");
  const stage = /^[a-z]/.test(user) ? user : `dev-${user}`;
  return stage.slice(0, 24).replace(/-+$/, "") || "dev";
}

/**
 * Local mode makes no outbound connection: telemetry off, no Request.cf fetch, and placeholder
 * credentials because Alchemy's Worker asks for some before it takes its local branch.
 */
export function prepareLocalEnvironment(env: NodeJS.ProcessEnv): void {
  env.DO_NOT_TRACK = "1";
  env.ALCHEMY_TELEMETRY_DISABLED = "1";
  env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  env.CLOUDFLARE_API_TOKEN ||= "authform-local-placeholder";
  env.CLOUDFLARE_ACCOUNT_ID ||= "authform-local-placeholder";
  // Local state is a file store on this machine even under CI.
  env.ALCHEMY_CI_STATE_STORE_CHECK = "false";
}
