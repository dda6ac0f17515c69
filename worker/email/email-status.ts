/** Whether the chosen transport has what it needs to send (names and presence only, never values). */
import type { EmailTransport } from "../../src/contract/manifest.ts";
import { EMAIL_TRANSPORTS } from "../../src/contract/transports.ts";
import type { WorkerEnv } from "../env.ts";

export function emailConfigured(env: WorkerEnv, transport: EmailTransport): boolean {
  return missingForTransport(env, transport).length === 0;
}

/** What the transport's catalogue entry asks for that this Worker lacks: a binding, secrets, vars. */
export function missingForTransport(env: WorkerEnv, transport: EmailTransport): string[] {
  const info = EMAIL_TRANSPORTS[transport];
  if (!info) return ["email transport"];
  if (info.localOnly && env.AUTHFORM_MODE !== "local") return [...info.vars];
  const values = env as unknown as Record<string, unknown>;
  const missing: string[] = [];
  const binding = info.binding && (values[info.binding.name] as { send?: unknown } | undefined);
  if (info.binding && typeof binding?.send !== "function") missing.push(`${info.binding.name} binding`);
  for (const name of [...info.secrets, ...info.vars]) {
    if (!isSet(values[name])) missing.push(name);
  }
  return missing;
}

function isSet(value: unknown): boolean {
  return typeof value === "string" && value.trim() !== "";
}
