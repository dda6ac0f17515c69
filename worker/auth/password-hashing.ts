/** Password hashing profiles: native scrypt, a self-describing hash format, and re-hashing on sign-in. */
import { scrypt } from "node:crypto";
import { defineRequestState, hasRequestState } from "@better-auth/core/context";
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import type { PasswordHashingProfile } from "../../src/contract/manifest.ts";

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * The profiles a config can name. `standard` is Better Auth's own default (32 MiB, ~55 ms here);
 * `workers-free` fits the free plan's 10 ms CPU per request (4 MiB, ~5 ms here), at 1/8 of the
 * attacker's cost per guess (README, "Password hashing").
 */
export const HASHING_PROFILES: Record<PasswordHashingProfile, ScryptParams> = {
  standard: { N: 16384, r: 16, p: 1 },
  "workers-free": { N: 4096, r: 8, p: 1 },
};

const KEY_BYTES = 64;
const SALT_BYTES = 16;
/** `$scrypt$n=4096,r=8,p=1$<salt>$<key>` (salt as Better Auth uses it: 32 hex characters, hashed as text). */
const SELF_DESCRIBING = /^\$scrypt\$n=(\d+),r=(\d+),p=(\d+)\$([0-9a-f]+)\$([0-9a-f]+)$/;
/** Better Auth's own format `<salt>:<key>`, always its default parameters. */
const BETTER_AUTH_FORMAT = /^([0-9a-f]+):([0-9a-f]+)$/;

export interface ParsedHash {
  params: ScryptParams;
  salt: string;
  key: string;
}

/** Reads a stored hash in either format; undefined for anything else. */
export function parseHash(stored: string): ParsedHash | undefined {
  const described = SELF_DESCRIBING.exec(stored);
  if (described) {
    const [, N, r, p, salt, key] = described as unknown as [string, string, string, string, string, string];
    return { params: { N: Number(N), r: Number(r), p: Number(p) }, salt, key };
  }
  const legacy = BETTER_AUTH_FORMAT.exec(stored);
  if (legacy) {
    const [, salt, key] = legacy as unknown as [string, string, string];
    return { params: HASHING_PROFILES.standard, salt, key };
  }
  return undefined;
}

/** Whether a stored hash was made with other parameters than the profile's (so sign-in should re-hash it). */
export function needsRehash(stored: string, profile: PasswordHashingProfile): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const want = HASHING_PROFILES[profile];
  return parsed.params.N !== want.N || parsed.params.r !== want.r || parsed.params.p !== want.p;
}

/**
 * Hashes with the profile's parameters. `standard` writes Better Auth's own `salt:key` format, so a
 * database stays readable by a stock Better Auth; other profiles name their parameters in the hash.
 */
export async function hashPassword(password: string, profile: PasswordHashingProfile): Promise<string> {
  const params = HASHING_PROFILES[profile];
  const salt = toHex(crypto.getRandomValues(new Uint8Array(SALT_BYTES)));
  const key = toHex(await deriveKey(password, salt, params));
  return profile === "standard"
    ? `${salt}:${key}`
    : `$scrypt$n=${params.N},r=${params.r},p=${params.p}$${salt}$${key}`;
}

/** Verifies against a hash of any profile, or one Better Auth wrote; false for a malformed hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || !isSaneParams(parsed.params)) return false;
  const key = await deriveKey(password, parsed.salt, parsed.params);
  return constantTimeEqual(toHex(key), parsed.key);
}

function deriveKey(password: string, salt: string, { N, r, p }: ScryptParams): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    // NFKC as Better Auth does, so a password typed with another Unicode form still matches.
    scrypt(password.normalize("NFKC"), salt, KEY_BYTES, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(new Uint8Array(key.buffer, key.byteOffset, key.byteLength)),
    );
  });
}

/** A stored hash cannot make a sign-in allocate gigabytes: only what a profile could have written. */
function isSaneParams({ N, r, p }: ScryptParams): boolean {
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  return powerOfTwo && N <= 1 << 20 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Set by verify when the hash it accepted has other parameters than the profile (per request). */
const staleHash = defineRequestState(() => false);

/** Better Auth's `emailAndPassword.password` for a profile. */
export function passwordHashing(profile: PasswordHashingProfile) {
  return {
    hash: (password: string) => hashPassword(password, profile),
    verify: async ({ hash, password }: { hash: string; password: string }) => {
      const ok = await verifyPassword(hash, password);
      // Outside a request (a direct call) there is no sign-in to upgrade.
      if (ok && needsRehash(hash, profile) && (await hasRequestState())) await staleHash.set(true);
      return ok;
    },
  };
}

/**
 * After a successful email sign-in whose hash was made with other parameters, stores a hash with
 * the current profile's: changing the profile upgrades (or downgrades) each user at their next sign-in.
 */
export function rehashOnSignIn(profile: PasswordHashingProfile): BetterAuthPlugin {
  return {
    id: "authform-password-rehash",
    hooks: {
      after: [
        {
          matcher: (ctx) => ctx.path === "/sign-in/email",
          handler: createAuthMiddleware(async (ctx) => {
            const session = ctx.context.newSession;
            const password: unknown = ctx.body?.password;
            if (!session || typeof password !== "string" || !(await staleHash.get())) return;
            await ctx.context.internalAdapter.updatePassword(
              session.user.id,
              await hashPassword(password, profile),
            );
          }),
        },
      ],
    },
  };
}
