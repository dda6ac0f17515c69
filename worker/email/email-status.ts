/** Whether the chosen transport has what it needs to send (names and presence only, never values). */
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import type { WorkerEnv } from "../env.ts";
import { missingSesVars } from "./ses/sender.ts";

export function emailConfigured(env: WorkerEnv, transport: RuntimeManifest["emailTransport"]): boolean {
  switch (transport) {
    case "local-outbox":
      return env.AUTHFORM_MODE === "local" && isSet(env.AUTHFORM_OUTBOX_URL);
    case "cloudflare":
      return typeof env.EMAIL?.send === "function" && isSet(env.EMAIL_FROM);
    case "aws-ses":
      return missingSesVars(env).length === 0;
    default:
      return false;
  }
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== "";
}
