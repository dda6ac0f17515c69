/**
 * TOTP as an authenticator app computes it (RFC 6238: HMAC-SHA-1, 30 s steps, 6 digits), written
 * here with node:crypto rather than taken from the library the server checks codes with.
 */
import { createHmac } from "node:crypto";

export function base32Decode(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text.replace(/=+$/, "").toUpperCase()) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totpAt(secret: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", secret).update(counter).digest();
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, "0");
}

export const currentStep = () => Math.floor(Date.now() / 30_000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An authenticator app holding one secret, which hands out each step's code once, as the server takes it. */
export class Authenticator {
  /** The last time step whose code was handed out. */
  private lastStep = 0;
  constructor(readonly secret: Buffer) {}

  static fromBase32(secret: string): Authenticator {
    return new Authenticator(base32Decode(secret));
  }

  /**
   * The code of the next step not yet used, within the server's window (one step either side): the
   * current step, else the next one, else wait for time to catch up.
   */
  async nextCode(): Promise<string> {
    let step = Math.max(this.lastStep + 1, currentStep());
    while (step > currentStep() + 1) await sleep(1000);
    step = Math.max(step, currentStep());
    this.lastStep = step;
    return totpAt(this.secret, step);
  }
}
