/**
 * A send the response does not wait for: the password-reset request answers an unknown address at
 * once, so a known one must not wait for its email either, or the time to answer says which
 * addresses have accounts. A failed send is logged (masked) and not told to the client, who is told
 * the same "if the address has an account, an email is on its way" either way.
 */
import { afterResponse } from "../middleware/after-response.ts";
import { maskAddress } from "./delivery.ts";
import type { EmailSender } from "./types.ts";

export function sendAfterResponse(sender: EmailSender): EmailSender {
  return {
    async send(message) {
      afterResponse(
        sender.send(message).catch((err: unknown) => {
          const reason = err instanceof Error ? err.message : "the transport failed unexpectedly";
          console.error(
            `authform: ${message.kind} email to ${maskAddress(message.to)} was not delivered: ${reason}`,
          );
        }),
      );
    },
  };
}
