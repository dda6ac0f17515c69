/**
 * BETTER_AUTH_SECRET rotation on Better Auth's versioned `secrets`: the current secret encrypts,
 * the previous one (BETTER_AUTH_PREVIOUS_SECRET, kept for one overlap) still decrypts, and during
 * the overlap the jwt plugin's private keys are re-encrypted with the current secret.
 */
import type { BetterAuthPlugin } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import { parseEnvelope, symmetricDecrypt, symmetricEncrypt } from "better-auth/crypto";
import type { WorkerEnv } from "../env.ts";

export interface AuthSecretOptions {
  /** Better Auth's fallback for payloads written before versioning: the secret of that time. */
  secret: string;
  /** Current first. */
  secrets: { version: number; value: string }[];
}

/**
 * Each secret's version is derived from its value, so nobody numbers secrets by hand and every
 * isolate agrees: 48 bits of a FNV-1a hash (an id, not a key: it never protects anything).
 */
export function secretVersion(secret: string): number {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(secret)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return Number(hash & 0xffffffffffffn);
}

/** Spread into betterAuth({...}). */
export function authSecretOptions(
  env: Pick<WorkerEnv, "BETTER_AUTH_SECRET" | "BETTER_AUTH_PREVIOUS_SECRET">,
) {
  const current = env.BETTER_AUTH_SECRET;
  const previous = env.BETTER_AUTH_PREVIOUS_SECRET?.trim() || undefined;
  const secrets = [{ version: secretVersion(current), value: current }];
  if (previous && previous !== current) secrets.push({ version: secretVersion(previous), value: previous });
  // Data encrypted before versioning (bare hex) was written with the secret of its day: during a
  // rotation that is the previous one.
  return { secret: previous ?? current, secrets } satisfies AuthSecretOptions;
}

/**
 * During an overlap (BETTER_AUTH_PREVIOUS_SECRET set), the first request an isolate serves re-encrypts
 * every JWKS private key that is not under the current secret, so the previous secret can go
 * afterwards without `/auth/v1/token` failing. Key ids and public keys stay: verifiers see no change.
 */
export function secretRotation(env: Pick<WorkerEnv, "BETTER_AUTH_PREVIOUS_SECRET">): BetterAuthPlugin[] {
  if (!env.BETTER_AUTH_PREVIOUS_SECRET?.trim()) return [];
  let done: Promise<void> | undefined;
  return [
    {
      id: "authform-secret-rotation",
      hooks: {
        before: [
          {
            matcher: () => true,
            handler: createAuthMiddleware(async (ctx) => {
              const context = ctx.context;
              if (!context.options.plugins?.some((p) => p.id === "jwt")) return;
              done ??= reencryptJwks(context).catch((err: unknown) => {
                done = undefined; // try again on the next request
                context.logger.error("authform: re-encrypting JWKS private keys failed", err);
              });
              await done;
            }),
          },
        ],
      },
    },
  ];
}

type AuthContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0]["context"];

async function reencryptJwks(context: AuthContext): Promise<void> {
  const key = context.secretConfig;
  if (typeof key === "string") return;
  const rows = await context.adapter.findMany<{ id: string; privateKey: string }>({ model: "jwks" });
  for (const row of rows) {
    // The jwt plugin stores the encrypted key as a JSON string (an object when encryption is off).
    const stored = JSON.parse(row.privateKey) as unknown;
    if (typeof stored !== "string") continue;
    if (parseEnvelope(stored)?.version === key.currentVersion) continue;
    let plain: string;
    try {
      plain = await symmetricDecrypt({ key, data: stored });
    } catch {
      // Encrypted with a secret older than the previous one: nothing here can read it, nor fix it.
      context.logger.warn(`authform: JWKS key ${row.id} is encrypted with a secret this stack no longer has`);
      continue;
    }
    const privateKey = JSON.stringify(await symmetricEncrypt({ key, data: plain }));
    await context.adapter.update({
      model: "jwks",
      where: [{ field: "id", value: row.id }],
      update: { privateKey },
    });
  }
}
