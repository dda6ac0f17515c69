/** BETTER_AUTH_SECRET rotation options: versions derived from the secrets, and what each phase of a rotation can still decrypt. */
import type { SecretConfig } from "better-auth/crypto";
import { symmetricDecrypt, symmetricEncrypt } from "better-auth/crypto";
import { describe, expect, it } from "vitest";
import { authSecretOptions, secretVersion } from "../../worker/auth/secrets.ts";

const OLD = "rotation-unit-old-secret-0123456789-abcdef";
const NEW = "rotation-unit-new-secret-9876543210-fedcba";

/** The key Better Auth builds from `secrets` + `secret` (context/secret-utils.mjs, buildSecretConfig). */
function keyOf(options: ReturnType<typeof authSecretOptions>): SecretConfig {
  const [current] = options.secrets;
  return {
    keys: new Map(options.secrets.map((s) => [s.version, s.value])),
    currentVersion: current?.version as number,
    legacySecret: options.secret,
  };
}

describe("authSecretOptions", () => {
  it("derives a stable, distinct integer version per secret", () => {
    expect(secretVersion(OLD)).toBe(secretVersion(OLD));
    expect(secretVersion(OLD)).not.toBe(secretVersion(NEW));
    expect(Number.isSafeInteger(secretVersion(OLD))).toBe(true);
    expect(secretVersion(OLD)).toBeGreaterThanOrEqual(0);
  });

  it("puts the current secret first and keeps the previous one only while it is set", () => {
    expect(authSecretOptions({ BETTER_AUTH_SECRET: NEW }).secrets.map((s) => s.value)).toEqual([NEW]);
    const overlap = authSecretOptions({ BETTER_AUTH_SECRET: NEW, BETTER_AUTH_PREVIOUS_SECRET: OLD });
    expect(overlap.secrets.map((s) => s.value)).toEqual([NEW, OLD]);
    expect(
      authSecretOptions({ BETTER_AUTH_SECRET: NEW, BETTER_AUTH_PREVIOUS_SECRET: " " }).secrets,
    ).toHaveLength(1);
    expect(
      authSecretOptions({ BETTER_AUTH_SECRET: NEW, BETTER_AUTH_PREVIOUS_SECRET: NEW }).secrets,
    ).toHaveLength(1);
  });

  it("reads what the old secret encrypted, versioned or from before versioning, only during the overlap", async () => {
    const data = '{"kty":"OKP","d":"private"}';
    const legacy = await symmetricEncrypt({ key: OLD, data }); // bare hex, as before authform used versions
    const versioned = await symmetricEncrypt({
      key: keyOf(authSecretOptions({ BETTER_AUTH_SECRET: OLD })),
      data,
    });
    expect(versioned.startsWith(`$ba$${secretVersion(OLD)}$`)).toBe(true);

    const before = keyOf(authSecretOptions({ BETTER_AUTH_SECRET: OLD }));
    expect(await symmetricDecrypt({ key: before, data: legacy })).toBe(data);

    const overlap = keyOf(authSecretOptions({ BETTER_AUTH_SECRET: NEW, BETTER_AUTH_PREVIOUS_SECRET: OLD }));
    expect(await symmetricDecrypt({ key: overlap, data: legacy })).toBe(data);
    expect(await symmetricDecrypt({ key: overlap, data: versioned })).toBe(data);
    const rewritten = await symmetricEncrypt({ key: overlap, data });
    expect(rewritten.startsWith(`$ba$${secretVersion(NEW)}$`)).toBe(true);

    const after = keyOf(authSecretOptions({ BETTER_AUTH_SECRET: NEW }));
    expect(await symmetricDecrypt({ key: after, data: rewritten })).toBe(data);
    await expect(symmetricDecrypt({ key: after, data: versioned })).rejects.toThrow();
  });
});
