/** Per-plugin readiness for /api/v1/system/status: does each enabled feature have what it needs? Names only, never values. */
import { PLUGINS, type PluginName } from "../../src/config/plugins.ts";
import { emailConfigured } from "../email/email-status.ts";
import { missingSesVars } from "../email/ses/sender.ts";
import type { WorkerEnv } from "../env.ts";
import type { RuntimeManifest, WorkerSpec } from "../spec.ts";

export interface Readiness {
  ready: boolean;
  /** What is missing, by name: a var (`ACCOUNT_URL`), a binding (`EMAIL binding`) or a plugin (`jwt plugin`). */
  missing: string[];
}

/** Better Auth refuses secrets shorter than this in spirit (it warns); so does the fast path. */
const MIN_SECRET_LENGTH = 32;

/**
 * `core` (the secret and the auth API's URL), `emailAndPassword` when it is on, then every enabled
 * plugin. Only presence and shape are checked: nothing here reads or returns a secret's value.
 */
export function readiness(env: WorkerEnv, spec: WorkerSpec): Record<string, Readiness> {
  const { manifest } = spec;
  const email = () => missingEmail(env, manifest.emailTransport);
  const result: Record<string, Readiness> = {
    core: entry([
      ...(secretOk(env.BETTER_AUTH_SECRET) ? [] : ["BETTER_AUTH_SECRET"]),
      ...(isHttpUrl(env.BETTER_AUTH_URL) ? [] : ["BETTER_AUTH_URL"]),
    ]),
  };
  if (manifest.emailAndPassword.enabled) {
    // Sign-in itself needs no email; with required verification nobody new gets in without one.
    result.emailAndPassword = entry(manifest.emailAndPassword.requireEmailVerification ? email() : []);
  }
  for (const name of Object.keys(manifest.plugins) as PluginName[]) {
    result[name] = entry(pluginNeeds(name, env, spec, email));
  }
  return result;
}

function pluginNeeds(name: PluginName, env: WorkerEnv, spec: WorkerSpec, email: () => string[]): string[] {
  const missing: string[] = [];
  for (const needed of PLUGINS[name].requires ?? []) {
    if (!spec.manifest.plugins[needed]) missing.push(`${needed} plugin`);
  }
  // Invitations are emails too.
  if (PLUGINS[name].sendsEmail || name === "organization") missing.push(...email());
  switch (name) {
    case "passkey":
      // The relying party: WebAuthn only runs on https origins, or on localhost.
      if (!isHttpUrl(env.ACCOUNT_URL) || !secureContext(env.ACCOUNT_URL)) missing.push("ACCOUNT_URL");
      break;
    case "magicLink":
      if (!isHttpUrl(env.APP_URL)) missing.push("APP_URL");
      break;
    case "organization":
      if (!isHttpUrl(env.ACCOUNT_URL)) missing.push("ACCOUNT_URL");
      break;
    case "upgradeAnonymous":
      // It signs the guest up with email + password.
      if (!spec.manifest.emailAndPassword.enabled || !spec.manifest.emailAndPassword.allowSignUp)
        missing.push("emailAndPassword sign-up");
      break;
    case "oauthProvider":
      if (!spec.manifest.plugins.jwt || !spec.plugins.jwt) missing.push("jwt plugin");
      if (!isHttpUrl(env.ACCOUNT_URL)) missing.push("ACCOUNT_URL");
      if (!isHttpUrl(env.BETTER_AUTH_URL)) missing.push("BETTER_AUTH_URL");
      break;
    case "jwt":
      if (!isHttpUrl(env.BETTER_AUTH_URL)) missing.push("BETTER_AUTH_URL");
      break;
    default:
      break;
  }
  return [...new Set(missing)];
}

/** What the chosen email transport lacks, by name. */
function missingEmail(env: WorkerEnv, transport: RuntimeManifest["emailTransport"]): string[] {
  if (emailConfigured(env, transport)) return [];
  switch (transport) {
    case "local-outbox":
      return ["AUTHFORM_OUTBOX_URL"];
    case "cloudflare":
      return [
        ...(typeof env.EMAIL?.send === "function" ? [] : ["EMAIL binding"]),
        ...(env.EMAIL_FROM?.trim() ? [] : ["EMAIL_FROM"]),
      ];
    case "aws-ses":
      return missingSesVars(env);
    default:
      return ["email transport"];
  }
}

function entry(missing: string[]): Readiness {
  return { ready: missing.length === 0, missing };
}

function secretOk(value: string | undefined): boolean {
  return typeof value === "string" && value.length >= MIN_SECRET_LENGTH;
}

function isHttpUrl(value: string | undefined): value is string {
  if (!value) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}

function secureContext(value: string): boolean {
  const url = new URL(value);
  return url.protocol === "https:" || url.hostname === "localhost" || url.hostname.endsWith(".localhost");
}
