/** The local outbox on disk: `.authform/outbox/<stage>/<seq>-<kind>.json`, one file per email, readable by people and tests. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** What the Worker sends (worker/email/types.ts EmailMessage) plus when it arrived. */
export interface OutboxMessage {
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The code or link the email carries. */
  secretPreview?: string;
  sentAt: string;
}

export interface StoredOutboxMessage extends OutboxMessage {
  /** 1, 2, 3, … in the order the emails arrived (it carries on across runs of the stage). */
  seq: number;
  file: string;
}

const FILE = /^(\d+)-([a-z-]+)\.json$/;

export function outboxDir(root: string, stage: string): string {
  return path.join(root, ".authform", "outbox", stage);
}

export function outboxFileName(seq: number, kind: string): string {
  return `${String(seq).padStart(4, "0")}-${kind}.json`;
}

/** The highest sequence number already used in an outbox folder (0 when there is none). */
export async function lastSequence(dir: string): Promise<number> {
  const files = await readdir(dir).catch(() => [] as string[]);
  return files.reduce((max, f) => Math.max(max, Number(FILE.exec(f)?.[1] ?? 0)), 0);
}

/** Every email in a stage's outbox, oldest first. */
export async function readOutbox(root: string, stage: string): Promise<StoredOutboxMessage[]> {
  const dir = outboxDir(root, stage);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => FILE.test(f));
  const messages = await Promise.all(
    files.map(async (file) => {
      const message = JSON.parse(await readFile(path.join(dir, file), "utf8")) as OutboxMessage;
      return { ...message, seq: Number(FILE.exec(file)?.[1]), file: path.join(dir, file) };
    }),
  );
  return messages.sort((a, b) => a.seq - b.seq);
}
