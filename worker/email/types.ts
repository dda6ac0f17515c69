/** The email layer's contract: every auth email goes through one EmailSender, whatever the transport. */

export type EmailKind =
  | "otp"
  | "magic-link"
  | "verification"
  | "password-reset"
  | "email-change"
  | "email-change-notice"
  | "invitation"
  | "failed-sign-ins"
  | "account-deleted";

export interface EmailMessage {
  kind: EmailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The code or link the message carries, so a developer can act on it from the local outbox. */
  secretPreview?: string;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

/** A send that failed; callers turn it into a clear error for the client, never a 500 with a stack. */
export class EmailDeliveryError extends Error {
  override name = "EmailDeliveryError";
}
