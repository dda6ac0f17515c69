/** Tells an account's address that sign-ins to it are failing in a burst, once a window, only if the account exists. */
import { emailSenderFor } from "../../email/index.ts";
import { emailBrand, type FailedSignInWay, failedSignInsEmail } from "../../email/templates/index.ts";
import type { WorkerEnv } from "../../env.ts";
import type { RuntimeManifest } from "../../spec.ts";
import { type AttemptCount, failuresOf } from "./attempt-store.ts";

/**
 * Runs after the response (waitUntil): the caller learns nothing, whether the address has an
 * account or the mail went out. A failed send is logged, never retried (the next window tries again).
 */
export async function sendBurstNotice(
  env: WorkerEnv,
  manifest: RuntimeManifest,
  { email, way, count }: { email: string; way: FailedSignInWay; count: AttemptCount },
): Promise<void> {
  try {
    // Better Auth stores addresses lower-cased, as `email` is here.
    const user = await env.DB.prepare("SELECT id FROM user WHERE email = ?1 LIMIT 1").bind(email).first();
    if (!user) return;
    const content = failedSignInsEmail(emailBrand(env), {
      way,
      failures: failuresOf(count),
      since: new Date(count.windowStart),
    });
    await emailSenderFor(env, manifest).send({ kind: "failed-sign-ins", to: email, ...content });
  } catch (err) {
    console.error("authform: the notice of failed sign-ins could not be sent:", err);
  }
}
