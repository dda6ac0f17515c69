/** The default deploy transport: Cloudflare Email Sending through the Worker's `send_email` binding (EMAIL). */
import type { WorkerEnv } from "../env.ts";
import { EmailDeliveryError, type EmailSender } from "./types.ts";

export function createCloudflareSender(env: WorkerEnv): EmailSender {
  return {
    async send(message) {
      const binding = env.EMAIL;
      if (!binding || typeof binding.send !== "function") {
        throw new EmailDeliveryError(
          "Cloudflare email is not configured: the Worker has no EMAIL (send_email) binding.",
        );
      }
      const from = env.EMAIL_FROM?.trim();
      if (!from) throw new EmailDeliveryError("Cloudflare email is not configured: set EMAIL_FROM.");
      // Control characters in the display name could only break the From header; drop them.
      const name = env.EMAIL_FROM_NAME?.replace(/\p{Cc}/gu, "").trim();
      try {
        // The binding's builder form (workers-types EmailMessageBuilder): Cloudflare composes the MIME.
        await binding.send({
          from: name ? { name, email: from } : from,
          to: message.to,
          replyTo: env.EMAIL_REPLY_TO?.trim() || from,
          subject: message.subject,
          text: message.text,
          html: message.html,
        });
      } catch (err) {
        const reason = err instanceof Error && err.message ? err.message : String(err);
        throw new EmailDeliveryError(`Cloudflare Email Sending refused the email: ${reason.slice(0, 300)}`);
      }
    },
  };
}
