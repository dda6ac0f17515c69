/** Chooses the EmailSender for the transport the plan picked: local outbox, Cloudflare send_email or AWS SES. */
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import type { WorkerEnv } from "../env.ts";
import { createCloudflareSender } from "./cloudflare-sender.ts";
import { createOutboxSender } from "./outbox-sender.ts";
import { createSesSender } from "./ses/sender.ts";
import { EmailDeliveryError, type EmailSender } from "./types.ts";

export function emailSenderFor(env: WorkerEnv, manifest: RuntimeManifest): EmailSender {
  switch (manifest.emailTransport) {
    case "local-outbox":
      return createOutboxSender(env);
    case "cloudflare":
      return createCloudflareSender(env);
    case "aws-ses":
      return createSesSender(env);
    default:
      // Never drop mail silently: a transport this runtime does not know fails every send.
      return {
        async send() {
          throw new EmailDeliveryError(`Unknown email transport "${String(manifest.emailTransport)}".`);
        },
      };
  }
}
