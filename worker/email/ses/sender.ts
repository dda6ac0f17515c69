/** The AWS SES transport: SES v2 SendEmail, signed with SigV4 over Web Crypto (no AWS SDK in the Worker). */
import { SES_TRANSPORT } from "../../../src/contract/transports.ts";
import type { WorkerEnv } from "../../env.ts";
import { EmailDeliveryError, type EmailMessage, type EmailSender } from "../types.ts";
import { describeSesError, redact } from "./error-response.ts";
import { formatAddress } from "./from-address.ts";
import { signRequest } from "./sigv4.ts";

/** What SES needs before it can send; each one is named when it is missing. */
export const SES_REQUIRED_VARS = [...SES_TRANSPORT.secrets, ...SES_TRANSPORT.vars] as const;

/** A send that takes longer is reported as failed rather than holding the request open. */
const TIMEOUT_MS = 10_000;

/** The SES vars and secrets this Worker lacks (empty when SES can send). */
export function missingSesVars(env: WorkerEnv): string[] {
  return SES_REQUIRED_VARS.filter((name) => !env[name]?.trim());
}

/** SES's API origin: AWS_SES_ENDPOINT when set (a local emulator), else the region's public endpoint. */
export function sesOrigin(env: WorkerEnv): string {
  const override = env.AWS_SES_ENDPOINT?.trim();
  return (override || `https://email.${env.AWS_SES_REGION?.trim()}.amazonaws.com`).replace(/\/+$/, "");
}

export function createSesSender(env: WorkerEnv): EmailSender {
  return {
    async send(message) {
      const missing = missingSesVars(env);
      if (missing.length > 0) {
        throw new EmailDeliveryError(`SES is not configured: set ${missing.join(", ")}.`);
      }
      const credentials = {
        accessKeyId: (env.AWS_ACCESS_KEY_ID as string).trim(),
        secretAccessKey: (env.AWS_SECRET_ACCESS_KEY as string).trim(),
      };
      const secrets = [credentials.accessKeyId, credentials.secretAccessKey];
      const url = `${sesOrigin(env)}/v2/email/outbound-emails`;
      const body = JSON.stringify(sendEmailRequest(env, message));
      const signed = await signRequest(
        { method: "POST", url, headers: { "content-type": "application/json" }, body },
        { credentials, region: (env.AWS_SES_REGION as string).trim(), service: "ses" },
      );

      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: signed.headers,
          body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (err) {
        const reason =
          err instanceof Error && err.name === "TimeoutError" ? "no answer in 10 s" : String(err);
        throw new EmailDeliveryError(
          redact(`Could not reach SES at ${new URL(url).origin}: ${reason}`, secrets),
        );
      }
      if (!response.ok) throw new EmailDeliveryError(await describeSesError(response, secrets));
      await response.body?.cancel();
    },
  };
}

/** The SendEmail request body (Simple content): https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html */
export function sendEmailRequest(env: WorkerEnv, message: EmailMessage) {
  const from = (env.EMAIL_FROM as string).trim();
  const replyTo = env.EMAIL_REPLY_TO?.trim() || from;
  const body: Record<string, { Data: string; Charset: "UTF-8" }> = {};
  if (message.text) body.Text = { Data: message.text, Charset: "UTF-8" };
  if (message.html) body.Html = { Data: message.html, Charset: "UTF-8" };
  return {
    FromEmailAddress: formatAddress(from, env.EMAIL_FROM_NAME),
    Destination: { ToAddresses: [message.to] },
    ReplyToAddresses: [replyTo],
    Content: {
      Simple: {
        Subject: { Data: message.subject, Charset: "UTF-8" },
        Body: body,
      },
    },
  };
}
