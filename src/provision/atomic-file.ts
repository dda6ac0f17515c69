/** Writes a file so that a reader, or a run after a crash, sees the old content or the new, never part of one. */
import { randomBytes } from "node:crypto";
import { open, readdir, rename, unlink } from "node:fs/promises";
import path from "node:path";

/** A temp file's suffix; never `.json`, so Alchemy's listing of a state folder passes it over. */
const TEMP_SUFFIX = ".authform-tmp";

export interface AtomicWriteHooks {
  /** Test-only: runs after part of the temp file is written, before the rest (see state-write-fault.ts). */
  midWrite?: () => Promise<void>;
}

/**
 * Temp file beside the target, fsync, rename over the target, fsync the folder. rename is atomic
 * on POSIX file systems; the fsyncs make the new content, and then its name, durable in that
 * order, so a power cut cannot leave the name pointing at an empty file either.
 */
export async function writeFileAtomic(file: string, content: string, hooks: AtomicWriteHooks = {}) {
  const temp = `${file}.${process.pid}-${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`;
  const bytes = Buffer.from(content, "utf8");
  const handle = await open(temp, "wx", 0o600);
  try {
    const half = hooks.midWrite ? Math.floor(bytes.length / 2) : bytes.length;
    await handle.write(bytes, 0, half);
    await hooks.midWrite?.();
    if (half < bytes.length) await handle.write(bytes, half);
    await handle.sync();
    await handle.close();
    await rename(temp, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(path.dirname(file));
}

async function syncDirectory(dir: string) {
  // Some platforms (Windows) cannot open a folder for fsync; the rename is still atomic there.
  const handle = await open(dir, "r").catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

/** Removes temp files a killed writer left in a folder (they hold nothing the target lacks). */
export async function removeLeftoverTempFiles(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.filter((n) => n.endsWith(TEMP_SUFFIX)).map((n) => unlink(path.join(dir, n)).catch(() => undefined)),
  );
}
