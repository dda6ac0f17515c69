/**
 * A cheaper scrypt for the peer, as a team on the Workers free plan would write it by hand through
 * Better Auth's documented `emailAndPassword.password.{hash, verify}`: node:crypto scrypt with the
 * parameters of authform's "workers-free" profile, so the two stacks hash alike (bench/run.ts's
 * peer-free, "at equal hashing"). Stored as `<salt>:<key>`, like Better Auth's default.
 */
import { scrypt, timingSafeEqual } from "node:crypto";

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** "N,r,p", as bench/peer/alchemy.run.ts passes it in the PASSWORD_SCRYPT var. */
export function parseScryptParams(text: string): ScryptParams {
  const [N, r, p] = text.split(",").map(Number);
  if (!N || !r || !p) throw new Error(`PASSWORD_SCRYPT: want "N,r,p", got ${JSON.stringify(text)}`);
  return { N, r, p };
}

function derive(password: string, salt: string, { N, r, p }: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, 64, { N, r, p, maxmem: 128 * N * r * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export function scryptPassword(params: ScryptParams) {
  return {
    async hash(password: string): Promise<string> {
      const salt = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("hex");
      return `${salt}:${(await derive(password, salt, params)).toString("hex")}`;
    },
    async verify({ hash, password }: { hash: string; password: string }): Promise<boolean> {
      const [salt, key] = hash.split(":");
      if (!salt || !key) return false;
      const expected = Buffer.from(key, "hex");
      const actual = await derive(password, salt, params);
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}
