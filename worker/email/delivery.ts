/**
 * Email delivery inside Better Auth: a failed send answers the request with 502
 * `{ error: "email_delivery_failed", message }`, is logged without the code or link, and a sign-up
 * whose verification email failed is undone.
 *
 * Better Auth awaits most sends through `runInBackgroundOrAwait`, which logs and swallows errors (the
 * client would be told "sent"). So a failed send is also recorded in Better Auth's per-request state,
 * and an after hook turns the record into the response.
 */
import { defineRequestState, hasRequestState } from "@better-auth/core/context";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { EmailDeliveryError, type EmailMessage, type EmailSender } from "./types.ts";

export const EMAIL_DELIVERY_FAILED = "email_delivery_failed";

interface DeliveryFailure {
  to: string;
  kind: EmailMessage["kind"];
  /** What the client is told. */
  message: string;
}

const failedDelivery = defineRequestState<DeliveryFailure | null>(() => null);

export interface DeliveryOptions {
  /** Local mode: tell the client why (the outbox is the developer's own); deployed stages keep it in the log. */
  detailed: boolean;
}

/** Wraps a transport: every failure is logged, recorded for the request, and thrown as a 502 APIError. */
export function reportDeliveryFailures(sender: EmailSender, { detailed }: DeliveryOptions): EmailSender {
  return {
    async send(message) {
      try {
        await sender.send(message);
      } catch (err) {
        const reason = err instanceof EmailDeliveryError ? err.message : "the transport failed unexpectedly";
        // The recipient is masked and the body (code, link) never logged.
        console.error(
          `authform: ${message.kind} email to ${maskAddress(message.to)} was not delivered: ${reason}`,
        );
        if (!(err instanceof EmailDeliveryError)) console.error(err);
        const failure: DeliveryFailure = {
          to: message.to,
          kind: message.kind,
          message: `The ${describeKind(message.kind)} could not be sent. Try again in a moment.${detailed ? ` (${reason})` : ""}`,
        };
        if (await hasRequestState()) await failedDelivery.set(failure);
        throw deliveryError(failure.message);
      }
    },
  };
}

/** The Better Auth plugin that turns a recorded failure into the response, whatever the endpoint returned. */
export function emailDeliveryGuard(): BetterAuthPlugin {
  return {
    id: "authform-email-delivery",
    hooks: {
      after: [
        {
          matcher: () => true,
          handler: createAuthMiddleware(async (ctx) => {
            if (!(await hasRequestState())) return;
            const failure = await failedDelivery.get();
            if (!failure) return;
            await failedDelivery.set(null);
            if (ctx.path === "/sign-up/email") {
              const user = createdUser(ctx.context.returned);
              // The user asked for an account they cannot verify: leave no half-made account behind.
              if (user && user.email.toLowerCase() === failure.to.toLowerCase()) {
                const found = await ctx.context.internalAdapter.findUserById(user.id);
                if (found && !found.emailVerified) await ctx.context.internalAdapter.deleteUser(user.id);
              }
            }
            throw deliveryError(failure.message);
          }),
        },
      ],
    },
  };
}

function deliveryError(message: string): APIError {
  // `error` is authform's JSON error shape; `code` is the one Better Auth's clients read.
  return new APIError("BAD_GATEWAY", {
    error: EMAIL_DELIVERY_FAILED,
    code: "EMAIL_DELIVERY_FAILED",
    message,
  });
}

function createdUser(returned: unknown): { id: string; email: string } | undefined {
  if (typeof returned !== "object" || returned === null || !("user" in returned)) return undefined;
  const user: unknown = returned.user;
  if (typeof user !== "object" || user === null) return undefined;
  const { id, email } = user as { id?: unknown; email?: unknown };
  return typeof id === "string" && typeof email === "string" ? { id, email } : undefined;
}

const KIND_WORDS: Record<EmailMessage["kind"], string> = {
  otp: "email with your code",
  "magic-link": "sign-in email",
  verification: "verification email",
  "password-reset": "password reset email",
  "email-change": "email to confirm the new address",
  "email-change-notice": "notice of the email change",
  invitation: "invitation email",
  "failed-sign-ins": "notice of failed sign-ins",
  "account-deleted": "confirmation of the account's deletion",
};

function describeKind(kind: EmailMessage["kind"]): string {
  return KIND_WORDS[kind] ?? "email";
}

/** `a•••@example.com`: enough to tell messages apart in a log, not a full address. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf("@");
  if (at < 1) return "•••";
  return `${address[0]}•••${address.slice(at)}`;
}
