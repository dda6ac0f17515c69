/** Per-plugin readiness for /api/v1/system/status: does each enabled feature have what it needs? Names only, never values. */
import { PLUGINS, type PluginName } from "../../src/contract/plugins.ts";
import { missingForTransport } from "../email/email-status.ts";
import type { WorkerEnv } from "../env.ts";
import type { WorkerSpec } from "../spec.ts";

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
  const email = () => missingForTransport(env, manifest.emailTransport);
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

/** What the plugin's catalogue entry asks for that this Worker lacks. */
function pluginNeeds(name: PluginName, env: WorkerEnv, spec: WorkerSpec, email: () => string[]): string[] {
  const plugin = PLUGINS[name];
  const missing: string[] = [];
  for (const needed of plugin.requires ?? []) {
    if (!spec.manifest.plugins[needed]) missing.push(`${needed} plugin`);
  }
  // An auto-include must have reached the manifest and the generated entry both.
  for (const included of plugin.autoIncludes ?? []) {
    if (!spec.manifest.plugins[included] || !spec.plugins[included]) missing.push(`${included} plugin`);
  }
  if (plugin.sendsEmail) missing.push(...email());
  // WebAuthn only runs on https origins, or on localhost.
  for (const name of plugin.secureUrls ?? []) {
    if (!isHttpUrl(env[name]) || !secureContext(env[name])) missing.push(name);
  }
  for (const name of plugin.urls ?? []) {
    if (!isHttpUrl(env[name])) missing.push(name);
  }
  // It signs the guest up with email + password.
  if (plugin.needsPasswordSignUp) {
    const { enabled, allowSignUp } = spec.manifest.emailAndPassword;
    if (!enabled || !allowSignUp) missing.push("emailAndPassword sign-up");
  }
  if (plugin.needsPasswordSignIn && !spec.manifest.emailAndPassword.enabled) {
    missing.push("emailAndPassword sign-in");
  }
  return [...new Set(missing)];
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
