/** Local mode's transport: each email is POSTed as JSON to the program's outbox server on loopback. */
import { originOf } from "../../src/contract/urls.ts";
import type { WorkerEnv } from "../env.ts";
import { EmailDeliveryError, type EmailSender } from "./types.ts";

/** The outbox is a process on the same machine; no answer in this long means it is gone. */
const TIMEOUT_MS = 5_000;

export function createOutboxSender(env: WorkerEnv): EmailSender {
  return {
    async send(message) {
      if (env.AUTHFORM_MODE !== "local") {
        throw new EmailDeliveryError(
          "The local outbox only exists in local mode; this stage has no email transport.",
        );
      }
      const target = env.AUTHFORM_OUTBOX_URL?.trim();
      if (!target) {
        throw new EmailDeliveryError(
          "The local outbox is not configured (AUTHFORM_OUTBOX_URL is not set): run the stack with `bun alchemy.run.ts`.",
        );
      }
      let response: Response;
      try {
        response = await fetch(target, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(message),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (err) {
        const reason =
          err instanceof Error && err.name === "TimeoutError" ? "no answer in 5 s" : "connection failed";
        // The outbox URL carries a random path; only its origin goes into messages.
        throw new EmailDeliveryError(
          `Could not reach the local outbox at ${originOf(target) ?? "an invalid URL"} (${reason}): is \`bun alchemy.run.ts\` still running?`,
        );
      }
      if (!response.ok) {
        const detail = refusalReason(await response.text().catch(() => ""));
        throw new EmailDeliveryError(
          `The local outbox refused the email (HTTP ${response.status})${detail ? `: ${detail}` : "."}`,
        );
      }
      await response.body?.cancel();
    },
  };
}

/** The outbox answers `{ error, message }`; anything else is shown as a short excerpt. */
function refusalReason(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      "message" in parsed &&
      typeof parsed.message === "string"
    ) {
      return parsed.message.slice(0, 300);
    }
  } catch {
    // Not JSON: fall through to the excerpt.
  }
  return body.slice(0, 200).trim();
}
