/** `webhooks`: endpoints that receive signed events through a Cloudflare Queue (worker/webhooks/). */
import * as z from "zod";
import {
  DEFAULT_WEBHOOK_RETRY_DELAYS,
  MAX_WEBHOOK_RETRY_DELAY,
  WEBHOOK_EVENT_NAMES,
  type WebhookEvent,
} from "../contract/webhooks.ts";
import { preview } from "./describe-value.ts";
import { didYouMeanSuffix } from "./suggest.ts";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

const endpointUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: "custom", message: `expected an absolute URL, got ${preview(value)}` });
    return;
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    ctx.addIssue({
      code: "custom",
      message: `expected an https URL (http only for localhost), got ${preview(value)}`,
    });
  }
  if (url.username || url.password) {
    ctx.addIssue({
      code: "custom",
      message: "credentials in the URL are not sent safely: sign with secretEnv",
    });
  }
});

const event = z.enum(WEBHOOK_EVENT_NAMES as [WebhookEvent, ...WebhookEvent[]], {
  error: (iss) =>
    typeof iss.input === "string"
      ? `unknown webhook event ${preview(iss.input)}${didYouMeanSuffix(iss.input, WEBHOOK_EVENT_NAMES)} (expected one of: ${WEBHOOK_EVENT_NAMES.join(", ")})`
      : `expected a webhook event name, got ${preview(iss.input)}`,
});

const endpoint = z.strictObject({
  url: endpointUrl.describe("Where events are POSTed."),
  events: z
    .array(event)
    .min(1, { error: "expected at least one event" })
    .transform((events) => [...new Set(events)])
    .describe("The events this endpoint receives."),
  secretEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, {
      error: (iss) => `expected an environment variable name like WEBHOOK_SECRET, got ${preview(iss.input)}`,
    })
    .describe("The environment variable holding the signing secret (Standard Webhooks: whsec_ + base64)."),
  retryDelaysSeconds: z
    .array(
      z
        .number()
        .int({ error: (iss) => `expected whole seconds, got ${preview(iss.input)}` })
        .min(1, { error: (iss) => `expected at least 1 second, got ${preview(iss.input)}` })
        .max(MAX_WEBHOOK_RETRY_DELAY, {
          error: (iss) =>
            `expected at most ${MAX_WEBHOOK_RETRY_DELAY} seconds (a Queue's longest delay), got ${preview(iss.input)}`,
        }),
    )
    .max(20, { error: "expected at most 20 retries" })
    .default(DEFAULT_WEBHOOK_RETRY_DELAYS)
    .describe(
      `Seconds before each retry of a failed delivery; after the last, the event goes to the dead-letter queue. @default [${DEFAULT_WEBHOOK_RETRY_DELAYS.join(", ")}]`,
    ),
});

export const webhooks = z
  .array(endpoint)
  .max(20, { error: "expected at most 20 endpoints" })
  .describe("Endpoints that receive signed events (Standard Webhooks) through a Cloudflare Queue.");
