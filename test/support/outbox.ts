/** Reads a local stack's outbox the way a developer would: the newest email to an address, its code, its link. */
import { readOutbox, type StoredOutboxMessage } from "../../src/cli/outbox.ts";
import { ROOT } from "./stack.ts";

/**
 * Waits for an email to `to` newer than `after` (a seq from an earlier email, or 0) and returns the
 * newest one. Fails after `timeoutMs` naming what the outbox holds.
 */
export async function waitForEmail(
  stage: string,
  to: string,
  { after = 0, timeoutMs = 10_000 }: { after?: number; timeoutMs?: number } = {},
): Promise<StoredOutboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await readOutbox(ROOT, stage);
    const found = all.filter((m) => m.to === to && m.seq > after).at(-1);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `no email to ${to} after #${after} in the outbox of ${stage}; it holds: ${all.map((m) => `#${m.seq} ${m.kind} → ${m.to}`).join(", ") || "nothing"}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The highest seq in a stage's outbox so far (0 when empty): pass it as `after` to wait for the next email. */
export async function lastEmailSeq(stage: string): Promise<number> {
  return (await readOutbox(ROOT, stage)).at(-1)?.seq ?? 0;
}

/** The 6-digit code in an email's text. */
export function codeIn(email: StoredOutboxMessage): string {
  const code = /\b(\d{6})\b/.exec(email.text)?.[1];
  if (!code) throw new Error(`no 6-digit code in: ${email.text}`);
  return code;
}

/** The first link in an email's text that goes to `pathPart`. */
export function linkIn(email: StoredOutboxMessage, pathPart: string): string {
  const link = email.text.split(/\s+/).find((word) => word.startsWith("http") && word.includes(pathPart));
  if (!link) throw new Error(`no link to ${pathPart} in: ${email.text}`);
  return link;
}
