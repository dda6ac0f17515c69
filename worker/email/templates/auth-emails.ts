/** The auth emails: sign-in code, magic link (with a code when both flows are on), verification, reset, invitation. */
import type { WorkerEnv } from "../../env.ts";
import type { EmailBlock, EmailBrand, EmailContent } from "./layout.ts";
import { renderEmail } from "./layout.ts";

/** APP_NAME, APP_URL and EMAIL_FROM_NAME as the emails use them. */
export function emailBrand(env: Pick<WorkerEnv, "APP_NAME" | "APP_URL" | "EMAIL_FROM_NAME">): EmailBrand {
  const appName = env.APP_NAME?.trim() || "your account";
  return { appName, appUrl: env.APP_URL ?? "", senderName: env.EMAIL_FROM_NAME?.trim() || appName };
}

/** Better Auth's emailOTP purposes. */
export type OtpPurpose = "sign-in" | "email-verification" | "forget-password" | "change-email";

const IGNORE =
  "If you did not ask for this, you can ignore this email: nothing changes until the code or link is used.";

function lifetime(seconds: number): string {
  if (seconds < 120) return `${seconds} seconds`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.round(seconds / 3600)} hours`;
}

const OTP_WORDING: Record<OtpPurpose, { subject: (app: string) => string; action: (app: string) => string }> =
  {
    "sign-in": { subject: (app) => `Your ${app} sign-in code`, action: (app) => `sign in to ${app}` },
    "email-verification": {
      subject: (app) => `Your ${app} verification code`,
      action: (app) => `verify your email address for ${app}`,
    },
    "forget-password": {
      subject: (app) => `Your ${app} password reset code`,
      action: (app) => `reset your ${app} password`,
    },
    "change-email": {
      subject: (app) => `Your ${app} code to change your email`,
      action: (app) => `confirm your new email address for ${app}`,
    },
  };

export function otpEmail(
  brand: EmailBrand,
  { otp, purpose, expiresInSeconds }: { otp: string; purpose: OtpPurpose; expiresInSeconds: number },
): EmailContent {
  const wording = OTP_WORDING[purpose];
  return renderEmail(brand, {
    subject: wording.subject(brand.appName),
    heading: wording.subject(brand.appName),
    blocks: [
      { kind: "code", label: `Enter this code to ${wording.action(brand.appName)}:`, code: otp },
      { kind: "paragraph", text: `It expires in ${lifetime(expiresInSeconds)} and works once.` },
      { kind: "note", text: IGNORE },
    ],
  });
}

/**
 * The sign-in link. With `otp` (emailOtp and magicLink both on) it is the combined email: the link for
 * this device, and a code for signing in on another one. Either signs in; each works once.
 */
export function magicLinkEmail(
  brand: EmailBrand,
  { url, otp, expiresInSeconds }: { url: string; otp?: string; expiresInSeconds: number },
): EmailContent {
  return renderEmail(brand, {
    subject: otp ? `Sign in to ${brand.appName}: your link and code` : `Sign in to ${brand.appName}`,
    heading: `Sign in to ${brand.appName}`,
    blocks: [
      { kind: "button", label: `Sign in to ${brand.appName}`, url },
      ...(otp
        ? [{ kind: "code" as const, label: "Or enter this code where you asked to sign in:", code: otp }]
        : []),
      {
        kind: "paragraph",
        text: `${otp ? "The link and the code expire" : "The link expires"} in ${lifetime(expiresInSeconds)} and work${otp ? "" : "s"} once.`,
      },
      { kind: "note", text: IGNORE },
    ],
  });
}

export function verificationEmail(
  brand: EmailBrand,
  { name, url }: { name: string; url: string },
): EmailContent {
  return renderEmail(brand, {
    subject: `Verify your email for ${brand.appName}`,
    heading: "Verify your email address",
    blocks: [
      ...greeting(name),
      { kind: "paragraph", text: `Please confirm that this is your email address for ${brand.appName}.` },
      { kind: "button", label: "Verify email address", url },
      { kind: "note", text: "If you did not create an account, you can ignore this email." },
    ],
  });
}

export function passwordResetEmail(
  brand: EmailBrand,
  { name, url }: { name: string; url: string },
): EmailContent {
  return renderEmail(brand, {
    subject: `Reset your ${brand.appName} password`,
    heading: "Reset your password",
    blocks: [
      ...greeting(name),
      { kind: "paragraph", text: `Someone asked to reset the password of your ${brand.appName} account.` },
      { kind: "button", label: "Choose a new password", url },
      { kind: "note", text: "If it was not you, ignore this email: your password stays as it is." },
    ],
  });
}

export interface InvitationDetails {
  inviterName: string;
  inviterEmail: string;
  organizationName: string;
  role: string;
  url: string;
}

/** For the organization plugin's sendInvitationEmail. Every field is user-supplied. */
export function invitationEmail(brand: EmailBrand, invite: InvitationDetails): EmailContent {
  const inviter = invite.inviterName.trim() || invite.inviterEmail;
  return renderEmail(brand, {
    subject: `${inviter} invited you to ${invite.organizationName} on ${brand.appName}`,
    heading: `Join ${invite.organizationName}`,
    blocks: [
      {
        kind: "paragraph",
        text: `${inviter} (${invite.inviterEmail}) invited you to join ${invite.organizationName} on ${brand.appName} as ${invite.role}.`,
      },
      { kind: "button", label: "Accept the invitation", url: invite.url },
      { kind: "note", text: "If you do not know this person or organization, you can ignore this email." },
    ],
  });
}

function greeting(name: string): EmailBlock[] {
  const trimmed = name.trim();
  return trimmed ? [{ kind: "paragraph", text: `Hi ${trimmed},` }] : [];
}
