/** Chooses the EmailSender for the transport the plan picked. */
import type { WorkerEnv } from "../env.ts";
import type { RuntimeManifest } from "../spec.ts";
import { EmailDeliveryError, type EmailSender } from "./types.ts";

export function emailSenderFor(_env: WorkerEnv, manifest: RuntimeManifest): EmailSender {
  return {
    async send(message) {
      if (manifest.emailTransport === "local-outbox") {
        console.log(
          `authform outbox: ${message.kind} for ${message.to}: ${message.secretPreview ?? message.subject}`,
        );
        return;
      }
      throw new EmailDeliveryError(`The ${manifest.emailTransport} email transport is not wired yet.`);
    },
  };
}
