import { generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  deriveFastPathKey,
  type FastPathClaims,
  signFastPathToken,
  verifyFastPathToken,
} from "../../worker/api/fast-path-token.ts";
import { FastPathTokenError } from "../../worker/api/token-errors.ts";

const now = 1_800_000_000;
const options = { issuer: "http://api.test", audience: "http://api.test", now, maxLifetimeSeconds: 900 };
const claims: FastPathClaims = {
  sub: "user_1",
  orgId: "org_1",
  role: "admin",
  userRole: "user",
  email: "ada@example.com",
  name: "Ada",
  iat: now - 10,
  exp: now + 890,
  iss: "http://api.test",
  aud: "http://api.test",
};

const current = await deriveFastPathKey("current-secret-current-secret-0001");
const previous = await deriveFastPathKey("previous-secret-previous-secret-01");

async function refusal(token: string, keys = [current]): Promise<string> {
  try {
    await verifyFastPathToken(token, keys, options);
  } catch (err) {
    expect(err).toBeInstanceOf(FastPathTokenError);
    return (err as FastPathTokenError).code;
  }
  throw new Error("the token was accepted");
}

/** Signs arbitrary header/payload with an HMAC key of our choosing (the attacker's tool). */
async function hmacToken(header: object, payload: object, secret: string | Uint8Array) {
  const raw = typeof secret === "string" ? new TextEncoder().encode(secret) : secret;
  return new SignJWT(payload as Record<string, unknown>)
    .setProtectedHeader(header as { alg: string })
    .sign(raw);
}

describe("fast-path tokens", () => {
  it("round-trips the claims a handler needs", async () => {
    const token = await signFastPathToken(claims, current);
    expect(await verifyFastPathToken(token, [current], options)).toEqual(claims);
  });

  it("carries a kid that names the key and differs between keys", async () => {
    const token = await signFastPathToken(claims, current);
    const header = JSON.parse(atob((token.split(".")[0] as string).replace(/-/g, "+").replace(/_/g, "/")));
    expect(header).toEqual({ alg: "HS256", typ: "JWT", kid: current.kid });
    expect(previous.kid).not.toBe(current.kid);
    expect((await deriveFastPathKey("current-secret-current-secret-0001")).kid).toBe(current.kid);
  });

  it("keeps verifying tokens of the previous key during the overlap, and only while it is configured", async () => {
    const old = await signFastPathToken(claims, previous);
    expect((await verifyFastPathToken(old, [current, previous], options)).sub).toBe("user_1");
    expect(await refusal(old, [current])).toBe("token_key_unknown");
  });

  it("refuses alg none", async () => {
    const unsigned = new UnsecuredJWT({ ...claims }).encode();
    expect(await refusal(unsigned)).toBe("token_algorithm_rejected");
    // none with our kid, and an empty signature
    const [, payload] = (await signFastPathToken(claims, current)).split(".");
    const header = btoa(JSON.stringify({ alg: "none", kid: current.kid })).replace(/=+$/, "");
    expect(await refusal(`${header}.${payload}.`)).toBe("token_algorithm_rejected");
  });

  it("refuses RS256 tokens and HS/RS confusion", async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const rs = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "RS256", kid: current.kid })
      .sign(privateKey);
    expect(await refusal(rs)).toBe("token_algorithm_rejected");
    // The classic confusion: HS256 keyed with a public key's bytes. Our verifier never uses public keys.
    const spki = new Uint8Array(await crypto.subtle.exportKey("spki", publicKey));
    const confused = await hmacToken({ alg: "HS256", kid: current.kid }, claims, spki);
    expect(await refusal(confused)).toBe("token_signature_invalid");
  });

  it("refuses a wrong, missing or foreign kid", async () => {
    expect(await refusal(await hmacToken({ alg: "HS256" }, claims, "x"))).toBe("token_key_unknown");
    expect(await refusal(await hmacToken({ alg: "HS256", kid: "nope" }, claims, "x"))).toBe(
      "token_key_unknown",
    );
    expect(await refusal(await hmacToken({ alg: "HS256", kid: current.kid }, claims, "guessed"))).toBe(
      "token_signature_invalid",
    );
  });

  it("refuses expired and not-yet-valid tokens, and lifetimes longer than allowed", async () => {
    expect(
      await refusal(await signFastPathToken({ ...claims, iat: now - 2000, exp: now - 1100 }, current)),
    ).toBe("token_expired");
    expect(
      await refusal(await signFastPathToken({ ...claims, iat: now + 600, exp: now + 1400 }, current)),
    ).toBe("token_not_yet_valid");
    expect(await refusal(await signFastPathToken({ ...claims, exp: now + 86_400 }, current))).toBe(
      "token_claim_invalid",
    );
  });

  it("refuses a wrong issuer or audience", async () => {
    expect(await refusal(await signFastPathToken({ ...claims, iss: "http://evil.test" }, current))).toBe(
      "token_claim_invalid",
    );
    expect(await refusal(await signFastPathToken({ ...claims, aud: "http://other.test" }, current))).toBe(
      "token_claim_invalid",
    );
  });

  it("refuses a tampered payload", async () => {
    const [header, , signature] = (await signFastPathToken(claims, current)).split(".");
    const forged = btoa(JSON.stringify({ ...claims, sub: "admin", role: "owner" })).replace(/=+$/, "");
    expect(await refusal(`${header}.${forged}.${signature}`)).toBe("token_signature_invalid");
  });

  it.each([
    "not-a-jwt",
    "a.b",
    "a.b.c.d",
    "!!!.???.***",
    "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln",
    "W10.W10.W10",
    "",
  ])("refuses %j as malformed or unsigned", async (token) => {
    expect(["token_malformed", "token_algorithm_rejected", "token_key_unknown"]).toContain(
      await refusal(token),
    );
  });

  it("refuses a correctly signed token whose payload is not a JSON object", async () => {
    const header = btoa(JSON.stringify({ alg: "HS256", kid: current.kid })).replace(/=+$/, "");
    const payload = btoa("[1,2]").replace(/=+$/, "");
    const signature = new Uint8Array(
      await crypto.subtle.sign("HMAC", current.key, new TextEncoder().encode(`${header}.${payload}`)),
    );
    const sig = btoa(String.fromCharCode(...signature))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    expect(await refusal(`${header}.${payload}.${sig}`)).toBe("token_malformed");
  });
});
