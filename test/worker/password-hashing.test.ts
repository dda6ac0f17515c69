/** Password hashes: both profiles verify, Better Auth's own hashes still verify, and stale ones are recognised. */
import { hashPassword as betterAuthHash, verifyPassword as betterAuthVerify } from "better-auth/crypto";
import { describe, expect, it } from "vitest";
import {
  HASHING_PROFILES,
  hashPassword,
  needsRehash,
  parseHash,
  passwordHashing,
  verifyPassword,
} from "../../worker/auth/password-hashing.ts";

const PASSWORD = "correct horse battery staple";

describe("password hashing profiles", () => {
  it('"standard" writes Better Auth\'s own salt:key format, which a stock Better Auth verifies', async () => {
    const hash = await hashPassword(PASSWORD, "standard");
    expect(hash).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
    expect(await betterAuthVerify({ hash, password: PASSWORD })).toBe(true);
    expect(await verifyPassword(hash, PASSWORD)).toBe(true);
    expect(await verifyPassword(hash, `${PASSWORD}!`)).toBe(false);
  });

  it('"workers-free" names its parameters in the hash and verifies', async () => {
    const hash = await hashPassword(PASSWORD, "workers-free");
    expect(hash).toMatch(/^\$scrypt\$n=4096,r=8,p=1\$[0-9a-f]{32}\$[0-9a-f]{128}$/);
    expect(parseHash(hash)?.params).toEqual(HASHING_PROFILES["workers-free"]);
    expect(await verifyPassword(hash, PASSWORD)).toBe(true);
    expect(await verifyPassword(hash, "correct horse battery stapler")).toBe(false);
  });

  it("verifies a hash Better Auth wrote (legacy salt:key) under either profile", async () => {
    const legacy = await betterAuthHash(PASSWORD);
    for (const profile of ["standard", "workers-free"] as const) {
      expect(await passwordHashing(profile).verify({ hash: legacy, password: PASSWORD })).toBe(true);
      expect(await passwordHashing(profile).verify({ hash: legacy, password: "wrong password" })).toBe(false);
    }
  });

  it("salts every hash: the same password twice gives two hashes", async () => {
    const [a, b] = [
      await hashPassword(PASSWORD, "workers-free"),
      await hashPassword(PASSWORD, "workers-free"),
    ];
    expect(a).not.toBe(b);
  });

  it("normalises Unicode as Better Auth does (NFKC), so composed and decomposed forms match", async () => {
    const hash = await hashPassword("caf\u00e9-password", "workers-free");
    expect(await verifyPassword(hash, "cafe\u0301-password")).toBe(true);
  });

  it("flags a hash made with other parameters than the profile's, and only that", async () => {
    const standard = await hashPassword(PASSWORD, "standard");
    const free = await hashPassword(PASSWORD, "workers-free");
    expect(needsRehash(standard, "standard")).toBe(false);
    expect(needsRehash(standard, "workers-free")).toBe(true);
    expect(needsRehash(free, "workers-free")).toBe(false);
    expect(needsRehash(free, "standard")).toBe(true);
  });

  it("rejects malformed hashes and parameters no profile writes, without throwing", async () => {
    const free = await hashPassword(PASSWORD, "workers-free");
    const [, , , salt, key] = free.split("$");
    for (const bad of [
      "",
      "not-a-hash",
      `$scrypt$n=4096,r=8$${salt}$${key}`,
      `$scrypt$n=4095,r=8,p=1$${salt}$${key}`, // N must be a power of two
      `$scrypt$n=1073741824,r=8,p=1$${salt}$${key}`, // would need 1 TiB
      `$argon2id$v=19$m=65536,t=3,p=4$${salt}$${key}`,
    ]) {
      expect(await verifyPassword(bad, PASSWORD)).toBe(false);
    }
  });
});
