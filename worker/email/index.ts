/** Chooses the EmailSender for the transport the plan picked, from the senders registered by catalogue name. */
import type { EmailTransport, RuntimeManifest } from "../../src/contract/manifest.ts";
import type { WorkerEnv } from "../env.ts";
import { createCloudflareSender } from "./cloudflare-sender.ts";
import { createOutboxSender } from "./outbox-sender.ts";
import { createSesSender } from "./ses/sender.ts";
import { EmailDeliveryError, type EmailSender } from "./types.ts";

/** Each transport's sender, keyed by its name in src/contract/transports.ts. */
const SENDERS: Record<EmailTransport, (env: WorkerEnv) => EmailSender> = {
  "local-outbox": createOutboxSender,
  cloudflare: createCloudflareSender,
  "aws-ses": createSesSender,
};

export function emailSenderFor(env: WorkerEnv, manifest: RuntimeManifest): EmailSender {
  const transport: string = manifest.emailTransport;
  if (Object.hasOwn(SENDERS, transport)) return SENDERS[transport as EmailTransport](env);
  // Never drop mail silently: a transport this runtime does not know fails every send.
  return {
    async send() {
      throw new EmailDeliveryError(`Unknown email transport "${transport}".`);
    },
  };
}
