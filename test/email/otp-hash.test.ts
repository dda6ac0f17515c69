/** Sign-in codes at rest: HMAC-SHA-256 under BETTER_AUTH_SECRET, so the database alone gives no code back. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyedOtpHasher } from "../../worker/auth/plugins/email-otp/otp-hash.ts";

describe("keyedOtpHasher", () => {
  it("is stable for one secret, differs between secrets, and is not Better Auth's unkeyed SHA-256", async () => {
    const a = keyedOtpHasher("secret-a-0123456789abcdef0123456789");
    const b = keyedOtpHasher("secret-b-0123456789abcdef0123456789");
    const stored = await a.hash("123456");
    expect(await a.hash("123456")).toBe(stored);
    expect(await a.hash("123457")).not.toBe(stored);
    expect(await b.hash("123456")).not.toBe(stored);
    // Better Auth's storeOTP: "hashed" value, which a leaked table reverses by trying all 10^6 codes.
    expect(stored).not.toBe(createHash("sha256").update("123456").digest("base64url"));
    expect(stored).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
