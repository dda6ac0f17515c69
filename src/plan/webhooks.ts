/** The plan's webhooks: the two queues' names and each endpoint's signing secret, from the environment. */
import type { ResolvedConfig } from "../config/types.ts";
import type { SecretSpec } from "./types.ts";

export interface WebhooksPlan {
  names: { queue: string; deadLetters: string };
  secrets: SecretSpec[];
}

/** Undefined without endpoints; their secrets were required (src/plan/env-vars.ts) before this runs. */
export function planWebhooks(config: ResolvedConfig, base: string): WebhooksPlan | undefined {
  if (config.auth.webhooks.length === 0) return undefined;
  const names = new Set(config.auth.webhooks.map((e) => e.secretEnv));
  return {
    names: { queue: `${base}-webhooks`, deadLetters: `${base}-webhooks-dlq` },
    secrets: [...names].map((name) => ({ name, source: "env" as const })),
  };
}
