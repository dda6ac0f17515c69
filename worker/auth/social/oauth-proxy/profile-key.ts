/**
 * The key Better Auth's oAuthProxy (1.7.29, plugins/oauth-proxy) seals a forwarded sign-in with:
 * HKDF-SHA256 of its `secret` (ours: AUTHFORM_OAUTH_PROXY_SECRET) under the purpose
 * "oauth-proxy-profile" (its crypto/purpose.ts, not exported). bind-to-browser.ts opens the payload
 * with it before Better Auth does. Should an upgrade change the derivation, every proxied sign-in
 * is refused (fails closed), and test/stack/social-previews.test.ts says so.
 */
const SALT = "better-auth:oauth-encryption:v1";

export async function proxyProfileKey(secret: string): Promise<string> {
  const encoder = new TextEncoder();
  const ikm = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: encoder.encode(SALT),
      info: encoder.encode("better-auth:oauth-proxy-profile:v1"),
    },
    ikm,
    256,
  );
  return [...new Uint8Array(bits)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
