/**
 * The user-verified (UV) flag of a WebAuthn credential, read from its authenticator data (WebAuthn
 * §6.1: 32 bytes of RP ID hash, then a flags byte whose 0x04 bit is UV). A registration carries the
 * authenticator data inside its CBOR attestation object; a sign-in carries it directly.
 */

const FLAGS_OFFSET = 32;
const UV = 0x04;

/** The UV bit of authenticator data, or undefined when it is too short to hold the flags. */
export function userVerifiedFlag(authenticatorData: Uint8Array): boolean | undefined {
  const flags = authenticatorData[FLAGS_OFFSET];
  return flags === undefined ? undefined : (flags & UV) !== 0;
}

/** Whether a credential's authenticator verified the user; undefined when the credential cannot be read. */
export function credentialUserVerified(credential: unknown): boolean | undefined {
  const response = isObject(credential) ? credential.response : undefined;
  if (!isObject(response)) return undefined;
  try {
    if (typeof response.authenticatorData === "string")
      return userVerifiedFlag(fromBase64url(response.authenticatorData));
    if (typeof response.attestationObject === "string") {
      const authData = cborMapBytes(fromBase64url(response.attestationObject), "authData");
      return authData && userVerifiedFlag(authData);
    }
  } catch {
    // Malformed base64url or CBOR: Better Auth's verify step refuses it with its own error.
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fromBase64url(s: string): Uint8Array {
  const binary = atob(s.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, ""));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

// ---- CBOR (RFC 8949): just enough to find a byte string under a text key of the top-level map ----

/** The byte string at `key` in a CBOR map; undefined when the top level is no map or lacks it. */
export function cborMapBytes(data: Uint8Array, key: string): Uint8Array | undefined {
  const reader = new CborReader(data);
  const top = reader.head();
  if (top.major !== 5) return undefined;
  for (let i = 0; i < top.value; i++) {
    const k = reader.head();
    let name: string | undefined;
    if (k.major === 3) name = new TextDecoder().decode(reader.take(k.value));
    else reader.skipBody(k);
    const v = reader.head();
    if (name === key && v.major === 2) return reader.take(v.value);
    reader.skipBody(v);
  }
  return undefined;
}

class CborReader {
  private at = 0;
  constructor(private readonly data: Uint8Array) {}

  /** An item's major type and argument (a length, a count or a value). */
  head(): { major: number; value: number } {
    const first = this.byte();
    const major = first >> 5;
    const info = first & 0x1f;
    if (info < 24) return { major, value: info };
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    // Indefinite lengths (31) never occur in WebAuthn's canonical CBOR.
    if (size === 0) throw new Error(`cbor: unsupported additional info ${info}`);
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + this.byte();
    return { major, value };
  }

  take(length: number): Uint8Array {
    if (this.at + length > this.data.length) throw new Error("cbor: truncated");
    const bytes = this.data.subarray(this.at, this.at + length);
    this.at += length;
    return bytes;
  }

  /** Skips what follows a head already read. */
  skipBody({ major, value }: { major: number; value: number }): void {
    if (major === 2 || major === 3) this.take(value);
    else if (major === 4) for (let i = 0; i < value; i++) this.skipBody(this.head());
    else if (major === 5) for (let i = 0; i < value * 2; i++) this.skipBody(this.head());
    else if (major === 6) this.skipBody(this.head());
    // 0, 1 (integers) and 7 (simple values, floats): the head was the whole item.
  }

  private byte(): number {
    const b = this.data[this.at++];
    if (b === undefined) throw new Error("cbor: truncated");
    return b;
  }
}
