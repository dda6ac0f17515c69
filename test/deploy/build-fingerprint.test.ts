/** The Worker's build fingerprint: the props change Alchemy sees when any bundle input changes. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFingerprint } from "../../src/provision/worker.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "authform-fingerprint-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("buildFingerprint", () => {
  it("is stable for the same inputs and changes with the entry or the lockfile", async () => {
    const entry = path.join(dir, "worker.ts");
    await writeFile(entry, "export default 1;\n");
    const first = await buildFingerprint(entry, dir);
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(await buildFingerprint(entry, dir)).toBe(first);

    await writeFile(entry, "export default 2;\n");
    const entryChanged = await buildFingerprint(entry, dir);
    expect(entryChanged).not.toBe(first);

    await writeFile(path.join(dir, "package-lock.json"), '{"lockfileVersion":3}');
    const lockChanged = await buildFingerprint(entry, dir);
    expect(lockChanged).not.toBe(entryChanged);
    await writeFile(path.join(dir, "package-lock.json"), '{"lockfileVersion":3,"packages":{}}');
    expect(await buildFingerprint(entry, dir)).not.toBe(lockChanged);
  });
});
