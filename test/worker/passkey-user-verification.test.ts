/** The UV flag authform reads from a passkey credential, and the userVerification setting's default. */
import { describe, expect, it } from "vitest";
import { credentialUserVerified } from "../../worker/auth/plugins/passkey/authenticator-data.ts";
import { PASSKEY_DEFAULTS, passkeySettings } from "../../worker/auth/plugins/passkey/options.ts";
import { SoftAuthenticator } from "../support/webauthn-authenticator.ts";

const ORIGIN = "http://localhost:1337";
const creation = {
  challenge: "Y2hhbGxlbmdl",
  rp: { id: "localhost", name: "Test" },
  user: { id: "dXNlcg", name: "ada@example.com", displayName: "Ada" },
};

describe("credentialUserVerified", () => {
  it.each([
    ["none", true],
    ["none", false],
    ["packed", true],
    ["packed", false],
  ] as const)("reads UV from a registration's attestation object (fmt %s, UV %s)", async (fmt, uv) => {
    const authenticator = await SoftAuthenticator.create();
    const credential = await authenticator.register(creation, ORIGIN, { fmt, userVerified: uv });
    expect(credentialUserVerified(credential)).toBe(uv);
  });

  it.each([true, false])("reads UV from a sign-in's authenticator data (UV %s)", async (uv) => {
    const authenticator = await SoftAuthenticator.create();
    await authenticator.register(creation, ORIGIN);
    const assertion = await authenticator.authenticate({ challenge: "Y2g", rpId: "localhost" }, ORIGIN, {
      userVerified: uv,
    });
    expect(credentialUserVerified(assertion)).toBe(uv);
  });

  it("cannot tell for what is no credential, leaving the refusal to the verify step", () => {
    for (const body of [
      undefined,
      "text",
      { response: {} },
      { response: { authenticatorData: "AAAA" } }, // too short to hold the flags
      { response: { attestationObject: "!!!" } }, // not base64url
      { response: { attestationObject: "oA" } }, // an empty CBOR map: no authData
    ]) {
      expect(credentialUserVerified(body), JSON.stringify(body)).toBeUndefined();
    }
  });
});

describe("passkeySettings", () => {
  it('defaults to "preferred" and takes "required"', () => {
    expect(PASSKEY_DEFAULTS.userVerification).toBe("preferred");
    expect(passkeySettings({})).toEqual({ userVerification: "preferred" });
    expect(passkeySettings({ userVerification: "required" })).toEqual({ userVerification: "required" });
  });
});
