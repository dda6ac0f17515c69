/** The key an account's counters are stored under: an HMAC of the normalised address, so the table lists no addresses. */
import type { AccountLimitGroup } from "./rules.ts";

/** The address as Better Auth looks it up (it lower-cases), trimmed so spacing is no way around the limit. */
export function normaliseEmail(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const email = value.trim().toLowerCase();
  // Not an address: it names no account, and Better Auth refuses it before anything is judged.
  return /^[^\s@]+@[^\s@]+$/.test(email) ? email : undefined;
}

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    keys.set(secret, key);
  }
  return key;
}

/**
 * `<group>:<hex HMAC-SHA-256(secret, account)>`, the account an email or `user:<id>`. Keyed with
 * BETTER_AUTH_SECRET: a plain hash of an address is reversed by hashing a list of addresses. A secret rotation starts every count afresh.
 */
export async function accountKey(secret: string, group: AccountLimitGroup, account: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(account));
  const hex = Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${group}:${hex}`;
}
