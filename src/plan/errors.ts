/** Errors a plan raises before anything is provisioned. */
import { UserError } from "../user-error.ts";
import type { MissingVar } from "./env-vars.ts";

export class MissingEnvError extends UserError {
  override readonly nothingProvisioned = true;
  constructor(readonly missing: MissingVar[]) {
    super(
      [
        "Cannot deploy: required environment variables are missing:",
        ...missing.map(
          (m) => `  • ${m.name}: ${m.reason}. Set it in .env or the environment — see .env.example.`,
        ),
      ].join("\n"),
    );
    this.name = "MissingEnvError";
  }
}

/** The stage's URLs contradict each other or the configured domains. */
export class UrlPlanError extends UserError {
  override readonly nothingProvisioned = true;
  constructor(readonly problems: string[]) {
    super(["Cannot plan this stage's URLs:", ...problems.map((p) => `  • ${p}`)].join("\n"));
    this.name = "UrlPlanError";
  }
}

/** AUTHFORM_SOCIAL_LOOPBACK is unreadable, or set for a deploy. */
export class SocialLoopbackError extends UserError {
  override readonly nothingProvisioned = true;
  constructor(readonly problems: string[]) {
    super(["Cannot use AUTHFORM_SOCIAL_LOOPBACK:", ...problems.map((p) => `  • ${p}`)].join("\n"));
    this.name = "SocialLoopbackError";
  }
}

/** A genericOAuth provider's discovery document is on loopback, and this is a deploy. */
export class GenericOAuthPlanError extends UserError {
  override readonly nothingProvisioned = true;
  constructor(readonly problems: string[]) {
    super(["Cannot deploy genericOAuth:", ...problems.map((p) => `  • ${p}`)].join("\n"));
    this.name = "GenericOAuthPlanError";
  }
}

/** oauthProvider.resources names a server this deploy cannot issue tokens for. */
export class OAuthResourcePlanError extends UserError {
  override readonly nothingProvisioned = true;
  constructor(readonly problems: string[]) {
    super(["Cannot deploy oauthProvider.resources:", ...problems.map((p) => `  • ${p}`)].join("\n"));
    this.name = "OAuthResourcePlanError";
  }
}

/** AUTHFORM_CIMD_LOOPBACK is unreadable, set for a deploy, or set without the OAuth provider. */
export class CimdLoopbackError extends UserError {
  override readonly nothingProvisioned = true;
  constructor(readonly problems: string[]) {
    super(["Cannot use AUTHFORM_CIMD_LOOPBACK:", ...problems.map((p) => `  • ${p}`)].join("\n"));
    this.name = "CimdLoopbackError";
  }
}

/** auth.oauthProxy cannot work for this stage: no stable URL, no shared secret, nowhere to forward to. */
export class OAuthProxyPlanError extends UserError {
  override readonly nothingProvisioned = true;
  constructor(readonly problems: string[]) {
    super(
      ["Cannot plan oauthProxy (social sign-in on previews):", ...problems.map((p) => `  • ${p}`)].join("\n"),
    );
    this.name = "OAuthProxyPlanError";
  }
}
