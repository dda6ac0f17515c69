/** The origins a browser may call the Worker from with credentials: the plan's list, or the stack's own URLs. */
import { originOf } from "../../src/contract/urls.ts";
import type { WorkerEnv } from "../env.ts";

type OriginEnv = Pick<WorkerEnv, "AUTHFORM_TRUSTED_ORIGINS" | "BETTER_AUTH_URL" | "ACCOUNT_URL" | "APP_URL">;

/**
 * The plan puts the list in AUTHFORM_TRUSTED_ORIGINS (src/plan/urls.ts); an env without it (an
 * older deploy, a hand-built test env) falls back to the origins of the three URL vars.
 */
export function trustedOrigins(env: OriginEnv): string[] {
  const listed = env.AUTHFORM_TRUSTED_ORIGINS?.split(",")
    .map((o) => o.trim())
    .filter((o) => o !== "");
  const origins = listed?.length ? listed : [env.BETTER_AUTH_URL, env.ACCOUNT_URL, env.APP_URL];
  return [...new Set(origins.flatMap((o) => originOf(o) ?? []))];
}
