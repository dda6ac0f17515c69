/** The fast-path token's settings for an isolate: lifetime, issuer, audience and the keys that verify. */
import type { RuntimeManifest } from "../../src/contract/manifest.ts";
import type { WorkerEnv } from "../env.ts";
import { deriveFastPathKey, type FastPathKey } from "./fast-path-token.ts";

/** Short by default: a token outlives a revoked membership by at most this long. */
export const DEFAULT_FAST_PATH_LIFETIME_SECONDS = 15 * 60;

export interface FastPathSettings {
  lifetimeSeconds: number;
  issuer: string;
  audience: string;
  /** Signs new tokens. */
  signingKey: FastPathKey;
  /** Verify tokens: the signing key, then the previous one during a rotation's overlap. */
  verifyKeys: FastPathKey[];
}

const cache = new WeakMap<object, Promise<FastPathSettings>>();

export function fastPathSettings(env: WorkerEnv, manifest: RuntimeManifest): Promise<FastPathSettings> {
  let settings = cache.get(env);
  if (!settings) {
    settings = build(env, manifest);
    cache.set(env, settings);
  }
  return settings;
}

async function build(env: WorkerEnv, manifest: RuntimeManifest): Promise<FastPathSettings> {
  const config = manifest.fastPath;
  const secretEnv = config?.secretEnv ?? "BETTER_AUTH_SECRET";
  const secret = readSecret(env, secretEnv);
  const signingKey = await deriveFastPathKey(secret);
  // One variable covers a BETTER_AUTH_SECRET rotation for Better Auth and the fast path alike.
  const previous =
    env.AUTHFORM_JWT_PREVIOUS_SECRET ||
    (secretEnv === "BETTER_AUTH_SECRET" ? env.BETTER_AUTH_PREVIOUS_SECRET : undefined) ||
    undefined;
  const verifyKeys = previous ? [signingKey, await deriveFastPathKey(previous)] : [signingKey];
  return {
    lifetimeSeconds: config?.expiresInSeconds ?? DEFAULT_FAST_PATH_LIFETIME_SECONDS,
    issuer: config?.issuer ?? env.BETTER_AUTH_URL,
    audience: config?.audience ?? env.BETTER_AUTH_URL,
    signingKey,
    verifyKeys,
  };
}

function readSecret(env: WorkerEnv, name: string): string {
  const value = (env as unknown as Record<string, unknown>)[name];
  if (typeof value !== "string" || value.length < 32) {
    throw new Error(`The fast-path token secret ${name} is missing or shorter than 32 characters.`);
  }
  return value;
}
