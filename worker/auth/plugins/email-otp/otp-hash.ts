/** How sign-in codes are stored: HMAC-SHA-256 keyed with BETTER_AUTH_SECRET, so a copy of the database reveals no code. */

const encoder = new TextEncoder();

/**
 * Better Auth's own `storeOTP: "hashed"` is an unkeyed SHA-256: with a million possible 6-digit codes,
 * a leaked verification table gives every live code back in a second. A keyed hash does not.
 */
export function keyedOtpHasher(secret: string): { hash: (otp: string) => Promise<string> } {
  let key: Promise<CryptoKey> | undefined;
  return {
    async hash(otp) {
      key ??= crypto.subtle.importKey(
        "raw",
        encoder.encode(secret),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      );
      const mac = await crypto.subtle.sign("HMAC", await key, encoder.encode(`authform-email-otp:${otp}`));
      return base64Url(new Uint8Array(mac));
    },
  };
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
