/**
 * A software WebAuthn authenticator for tests: one ES256 (P-256) credential made with Web Crypto,
 * answering creation and request options with the JSON a browser's PublicKeyCredential serialises to.
 * CBOR, COSE keys, authenticator data and DER signatures are encoded here by hand (WebAuthn L2 §6).
 */

export interface CreationOptionsJSON {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string; displayName: string };
}

export interface RequestOptionsJSON {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string }[];
}

export interface RegistrationResponseJSON {
  id: string;
  rawId: string;
  type: "public-key";
  response: { clientDataJSON: string; attestationObject: string; transports: string[] };
  clientExtensionResults: Record<string, never>;
  authenticatorAttachment: "platform";
}

export interface AuthenticationResponseJSON {
  id: string;
  rawId: string;
  type: "public-key";
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
  clientExtensionResults: Record<string, never>;
  authenticatorAttachment: "platform";
}

/** Flags in authenticator data: user present, user verified, attested credential data included. */
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;
/** COSE: kty EC2, alg ES256, crv P-256. */
const COSE_EC2 = 2;
const COSE_ES256 = -7;
const COSE_P256 = 1;

export class SoftAuthenticator {
  private counter = 0;
  private userHandle: string | undefined;

  private constructor(
    private readonly keys: CryptoKeyPair,
    readonly credentialId: Bytes,
  ) {}

  static async create(): Promise<SoftAuthenticator> {
    const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ]);
    return new SoftAuthenticator(keys, crypto.getRandomValues(new Uint8Array(16)));
  }

  get id(): string {
    return base64url(this.credentialId);
  }

  /** navigator.credentials.create(): attestation "none", or "packed" self-attestation signed by the credential key. */
  async register(
    options: CreationOptionsJSON,
    origin: string,
    { fmt = "none", userVerified = true }: { fmt?: "none" | "packed"; userVerified?: boolean } = {},
  ): Promise<RegistrationResponseJSON> {
    const rpId = options.rp.id ?? new URL(origin).hostname;
    this.userHandle = options.user.id;
    const clientDataJSON = clientData("webauthn.create", options.challenge, origin);
    const authData = concat(
      await sha256(utf8(rpId)),
      Uint8Array.of(UP | (userVerified ? UV : 0) | AT),
      uint32(this.counter),
      new Uint8Array(16), // AAGUID: all zeros, as privacy-preserving authenticators report
      uint16(this.credentialId.length),
      this.credentialId,
      await this.cosePublicKey(),
    );
    const attStmt =
      fmt === "packed"
        ? new Map<CborKey, CborValue>([
            ["alg", COSE_ES256],
            ["sig", await this.sign(concat(authData, await sha256(clientDataJSON)))],
          ])
        : new Map<CborKey, CborValue>();
    const attestationObject = cbor(
      new Map<CborKey, CborValue>([
        ["fmt", fmt],
        ["attStmt", attStmt],
        ["authData", authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: {
        clientDataJSON: base64url(clientDataJSON),
        attestationObject: base64url(attestationObject),
        transports: ["internal"],
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  /** navigator.credentials.get(): an assertion over authenticator data and the client data hash. */
  async authenticate(
    options: RequestOptionsJSON,
    origin: string,
    { userVerified = true }: { userVerified?: boolean } = {},
  ): Promise<AuthenticationResponseJSON> {
    const allowed = options.allowCredentials ?? [];
    if (allowed.length > 0 && !allowed.some((c) => c.id === this.id)) {
      throw new Error("this authenticator holds none of the allowed credentials");
    }
    const rpId = options.rpId ?? new URL(origin).hostname;
    this.counter += 1;
    const clientDataJSON = clientData("webauthn.get", options.challenge, origin);
    const authenticatorData = concat(
      await sha256(utf8(rpId)),
      Uint8Array.of(UP | (userVerified ? UV : 0)),
      uint32(this.counter),
    );
    const signature = await this.sign(concat(authenticatorData, await sha256(clientDataJSON)));
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: {
        clientDataJSON: base64url(clientDataJSON),
        authenticatorData: base64url(authenticatorData),
        signature: base64url(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  private async cosePublicKey(): Promise<Bytes> {
    const jwk = await crypto.subtle.exportKey("jwk", this.keys.publicKey);
    return cbor(
      new Map<CborKey, CborValue>([
        [1, COSE_EC2],
        [3, COSE_ES256],
        [-1, COSE_P256],
        [-2, fromBase64url(jwk.x as string)],
        [-3, fromBase64url(jwk.y as string)],
      ]),
    );
  }

  /** ECDSA P-256 over SHA-256; Web Crypto gives r‖s, WebAuthn wants ASN.1 DER. */
  private async sign(data: Bytes): Promise<Bytes> {
    const raw = new Uint8Array(
      await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, this.keys.privateKey, data),
    );
    return derSignature(raw.subarray(0, 32), raw.subarray(32));
  }
}

function clientData(type: string, challenge: string, origin: string): Bytes {
  return utf8(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

// ---- CBOR (RFC 8949): the subset WebAuthn needs ----

type CborKey = string | number;
type CborValue = number | string | Bytes | Map<CborKey, CborValue>;

export function cbor(value: CborValue): Bytes {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new Error("cbor: only integers");
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === "string") {
    const bytes = utf8(value);
    return concat(head(3, bytes.length), bytes);
  }
  if (value instanceof Uint8Array) return concat(head(2, value.length), value);
  const parts: Bytes[] = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return concat(...parts);
}

function head(major: number, n: number): Bytes {
  if (n < 24) return Uint8Array.of((major << 5) | n);
  if (n < 0x100) return Uint8Array.of((major << 5) | 24, n);
  if (n < 0x10000) return concat(Uint8Array.of((major << 5) | 25), uint16(n));
  return concat(Uint8Array.of((major << 5) | 26), uint32(n));
}

// ---- DER (X.690) for an ECDSA signature: SEQUENCE { INTEGER r, INTEGER s } ----

function derSignature(r: Bytes, s: Bytes): Bytes {
  const body = concat(derInteger(r), derInteger(s));
  return concat(Uint8Array.of(0x30, body.length), body);
}

function derInteger(bytes: Bytes): Bytes {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  let value = bytes.subarray(start);
  // A set high bit would read as negative: prefix a zero byte.
  if ((value[0] as number) & 0x80) value = concat(Uint8Array.of(0), value);
  return concat(Uint8Array.of(0x02, value.length), value);
}

// ---- bytes ----

/** Bytes backed by a plain ArrayBuffer, as Web Crypto takes them. */
type Bytes = Uint8Array<ArrayBuffer>;

function concat(...parts: Bytes[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function uint16(n: number): Bytes {
  return Uint8Array.of(n >>> 8, n & 0xff);
}

function uint32(n: number): Bytes {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function utf8(s: string): Bytes {
  return new TextEncoder().encode(s);
}

async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}

export function base64url(bytes: Bytes): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(s: string): Bytes {
  const binary = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
