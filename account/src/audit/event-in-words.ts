/** An audit event as a person reads it: "Signed in with a passkey", "Password changed", "Failed sign-in with a password". */
import type { AuditEntry } from "./audit-api.ts";

const METHODS: Record<string, string> = {
  password: "with a password",
  otp: "with an emailed code",
  "magic-link": "with an email link",
  passkey: "with a passkey",
  social: "with another account",
  anonymous: "as a guest",
  "two-factor": "with a two-factor code",
};

const EVENTS: Record<string, string> = {
  "sign-up": "Account created",
  "sign-out": "Signed out",
  "email.change": "Email address changed",
  "two-factor.enable": "Two-factor turned on",
  "two-factor.disable": "Two-factor turned off",
  "passkey.add": "Passkey added",
  "passkey.remove": "Passkey removed",
  "account.link": "Linked another account",
  "account.unlink": "Unlinked another account",
  "api-key.create": "API key created",
  "api-key.revoke": "API key revoked",
  "oauth.client-register": "App registered",
  "oauth.consent-grant": "Answered an app's request for access",
  "oauth.consent-revoke": "Took back an app's access",
  "admin.ban": "Banned by an admin",
  "admin.unban": "Ban lifted by an admin",
  "admin.set-role": "Role changed by an admin",
  "admin.impersonate-start": "An admin started acting as this account",
  "admin.impersonate-stop": "An admin stopped acting as this account",
  "admin.delete-user": "Deleted by an admin",
  "admin.revoke-sessions": "Signed out everywhere by an admin",
};

/** Why a sign-in failed, for the codes people meet; others are left out rather than shown raw. */
const REASONS: Record<string, string> = {
  INVALID_EMAIL_OR_PASSWORD: "wrong password",
  INVALID_PASSWORD: "wrong password",
  INVALID_OTP: "wrong code",
  INVALID_CODE: "wrong code",
  OTP_EXPIRED: "expired code",
  BANNED_USER: "account banned",
  EMAIL_NOT_VERIFIED: "address not verified",
};

export function eventInWords(event: AuditEntry): string {
  const how = event.method ? METHODS[event.method] : undefined;
  const detail = event.detail ?? {};
  switch (event.type) {
    case "sign-in.success":
      return how ? `Signed in ${how}` : "Signed in";
    case "sign-in.failure": {
      const reason = REASONS[String(detail.reason)];
      return `Failed sign-in${how ? ` ${how}` : ""}${reason ? ` (${reason})` : ""}`;
    }
    case "password.change":
      return detail.reset === true ? "Password reset by email link" : "Password changed";
    case "admin.ban":
      return `Banned by an admin${typeof detail.reason === "string" && detail.reason ? `: ${detail.reason}` : ""}`;
    case "admin.set-role":
      return `Role changed by an admin${typeof detail.role === "string" ? ` to ${detail.role}` : ""}`;
    default:
      return EVENTS[event.type] ?? event.type;
  }
}

export const isFailure = (event: AuditEntry) => event.type === "sign-in.failure";
