/** The file state store with cached secrets: Alchemy's exact format, and an unchanged secret keeps its ciphertext. */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Scope, Secret, type State } from "alchemy";
import { FileSystemStateStore } from "alchemy/state";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CachedSecretsFileStateStore, SecretCache } from "../../src/provision/file-state-store.ts";
import { StateFileError } from "../../src/provision/state-file-error.ts";
import { createStateStore } from "../../src/provision/state-store.ts";

let dotAlchemy: string;

beforeEach(async () => {
  dotAlchemy = await mkdtemp(path.join(os.tmpdir(), "authform-state-"));
});

afterEach(async () => {
  await rm(dotAlchemy, { recursive: true, force: true });
});

function scope(password: string | undefined): Scope {
  return new Scope({ scopeName: "app", parent: null, password, dotAlchemy, phase: "read", noTrack: true });
}

/** A Worker's state as Alchemy writes it: the secret in props and output, beside plain values. */
function workerState(secret: string, extra: Record<string, unknown> = {}): State {
  return {
    kind: "cloudflare::Worker",
    id: "worker",
    fqn: "app/worker",
    seq: 0,
    status: "updated",
    data: {},
    props: {
      name: "w",
      bindings: { BETTER_AUTH_SECRET: new Secret(secret), URL: "http://localhost:1" },
      ...extra,
    },
    output: { name: "w", bindings: { BETTER_AUTH_SECRET: new Secret(secret) }, when: new Date(0) },
  } as unknown as State;
}

async function stateFile(): Promise<string> {
  const dir = path.join(dotAlchemy, "app");
  const [file] = (await readdir(dir)).filter((f) => f.endsWith(".json"));
  return readFile(path.join(dir, file as string), "utf8");
}

/** Every ciphertext in a state file, in order. */
function ciphertexts(json: string): string[] {
  return [...json.matchAll(/"ciphertext": "([^"]+)"/g)].map((m) => m[1] as string);
}

/** A part of a state read back, as plain data (fails the test when the state is missing). */
function part(state: State | undefined, name: "props" | "output"): Record<string, unknown> {
  if (!state) throw new Error("no state");
  return state[name] as unknown as Record<string, unknown>;
}

const secretOf = (state: State | undefined, name: "props" | "output") =>
  (part(state, name).bindings as Record<string, Secret>).BETTER_AUTH_SECRET?.unencrypted;

describe("CachedSecretsFileStateStore", () => {
  it("writes state Alchemy's own store reads, secrets encrypted, and reads what Alchemy wrote", async () => {
    const s = scope("pw-1");
    const ours = new CachedSecretsFileStateStore(s, new SecretCache());
    await ours.set("worker", workerState("s3cr3t-value"));
    const json = await stateFile();
    expect(json).not.toContain("s3cr3t-value");
    expect(ciphertexts(json)).toHaveLength(2);

    const alchemys = new FileSystemStateStore(s);
    const read = await alchemys.get("worker");
    expect(secretOf(read, "props")).toBe("s3cr3t-value");
    expect(secretOf(read, "output")).toBe("s3cr3t-value");
    expect((part(read, "props").bindings as { URL: string }).URL).toBe("http://localhost:1");
    expect(part(read, "output").when).toEqual(new Date(0));

    await alchemys.set("worker", workerState("written-by-alchemy"));
    const back = await new CachedSecretsFileStateStore(s, new SecretCache()).get("worker");
    expect(secretOf(back, "props")).toBe("written-by-alchemy");
    expect(part(back, "output").when).toEqual(new Date(0));
    expect(await ours.get("missing")).toBeUndefined();
  });

  it("writes an unchanged secret back as the ciphertext it was read as, and a changed one afresh", async () => {
    const s = scope("pw-1");
    await new FileSystemStateStore(s).set("worker", workerState("same"));
    const before = ciphertexts(await stateFile());
    expect(new Set(before).size).toBe(2); // Alchemy encrypts each field afresh

    // A later run: reads the state, Alchemy updates the Worker, writes it back.
    const run = new CachedSecretsFileStateStore(s, new SecretCache());
    const state = (await run.get("worker")) as State;
    await run.set("worker", { ...state, status: "updating" });
    await run.set("worker", workerState("same", { name: "renamed" }));
    const after = ciphertexts(await stateFile());
    // Both fields carry one of the ciphertexts read: no churn in state, no new key derivation.
    expect(after[0]).toBe(after[1]);
    expect(before).toContain(after[0]);

    await run.set("worker", workerState("rotated"));
    const rotated = ciphertexts(await stateFile());
    expect(before).not.toContain(rotated[0]);
    expect(secretOf(await new FileSystemStateStore(s).get("worker"), "props")).toBe("rotated");
  });

  it("never hands a value decrypted under one password to a store with another", async () => {
    const cache = new SecretCache();
    await new CachedSecretsFileStateStore(scope("right"), cache).set("worker", workerState("v"));
    expect(
      secretOf(await new CachedSecretsFileStateStore(scope("right"), cache).get("worker"), "props"),
    ).toBe("v");
    await expect(new CachedSecretsFileStateStore(scope("wrong"), cache).get("worker")).rejects.toThrow();
  });

  it("keeps secrets a plain value could be mistaken for: empty and structured ones", async () => {
    const s = scope("pw-1");
    const state = workerState("");
    (state.props as Record<string, unknown>).structured = new Secret({ key: "k", n: 1 });
    await new CachedSecretsFileStateStore(s, new SecretCache()).set("worker", state);
    expect(await stateFile()).not.toContain('"k"');
    const read = await new FileSystemStateStore(s).get("worker");
    expect(secretOf(read, "props")).toBe("");
    expect((part(read, "props").structured as Secret<unknown>).unencrypted).toEqual({
      key: "k",
      n: 1,
    });
  });

  it("is the store a file-backed run gets", async () => {
    const factory = await createStateStore("file", {});
    expect(factory(scope("pw-1"))).toBeInstanceOf(CachedSecretsFileStateStore);
  });
});

/** A Worker's state named `name`, its secret in it when the scope has a password to encrypt it with. */
function stateFor(password: string | undefined, name: string): State {
  const state = workerState("s3cr3t", { name });
  if (!password) Object.assign(state, { props: { name }, output: { name } });
  return state;
}

const nameOf = (state: State | undefined) => part(state, "props").name;

describe("state files that survive a killed write", () => {
  it.each([
    ["with a password (cached secrets)", "pw-1"],
    ["without one (Alchemy's own serialization)", undefined],
  ])("keep the old state whole while a write is half done, %s", async (_label, password) => {
    const s = scope(password);
    await new CachedSecretsFileStateStore(s, new SecretCache()).set("worker", stateFor(password, "old"));
    const file = path.join(dotAlchemy, "app", "worker.json");
    const old = await readFile(file, "utf8");
    let seenMidWrite: { content: string; files: string[]; state: State | undefined } | undefined;
    const store = new CachedSecretsFileStateStore(s, new SecretCache(), () => ({
      // The moment a kill would land: half the new state is on disk, in a temp file.
      midWrite: async () => {
        seenMidWrite = {
          content: await readFile(file, "utf8"),
          files: await readdir(path.dirname(file)),
          state: await new CachedSecretsFileStateStore(s, new SecretCache()).get("worker"),
        };
      },
    }));
    await store.set("worker", stateFor(password, "new"));
    expect(seenMidWrite?.content).toBe(old);
    expect(seenMidWrite?.files).toHaveLength(2);
    expect(nameOf(seenMidWrite?.state)).toBe("old");
    // Alchemy lists only the state, never the temp file.
    expect(await new FileSystemStateStore(s).list()).toEqual(["worker"]);
    expect(nameOf(await new FileSystemStateStore(s).get("worker"))).toBe("new");
    expect(await readdir(path.dirname(file))).toEqual(["worker.json"]);
  });

  it("a temp file left by a killed write does not stop destroy from removing the folder", async () => {
    const s = scope("pw-1");
    const store = new CachedSecretsFileStateStore(s, new SecretCache(), () => ({
      midWrite: () => Promise.reject(new Error("killed")),
    }));
    await expect(store.set("worker", workerState("v"))).rejects.toThrow("killed");
    const dir = path.join(dotAlchemy, "app");
    // The writer cleans up after a failure; a SIGKILL would not, so leave one by hand.
    await writeFile(path.join(dir, "worker.json.123-abcd.authform-tmp"), "{ half");
    expect(await store.list()).toEqual([]);
    await store.deinit();
    expect(await readdir(dotAlchemy)).toEqual([]);
  });

  it.each([
    ["cut short", (json: string) => json.slice(0, json.length / 2), "it is not whole JSON"],
    ["empty", () => "", "it is empty"],
  ])(
    "a state file %s is a StateFileError naming the file and how to recover",
    async (_label, cut, reason) => {
      for (const password of ["pw-1", undefined]) {
        const s = scope(password);
        await new CachedSecretsFileStateStore(s, new SecretCache()).set("database", stateFor(password, "v"));
        const file = path.join(dotAlchemy, "app", "database.json");
        await writeFile(file, cut(await readFile(file, "utf8")));
        const read = new CachedSecretsFileStateStore(s, new SecretCache()).get("database");
        await expect(read).rejects.toBeInstanceOf(StateFileError);
        const message = await read.catch((e: Error) => e.message);
        expect(message).toContain(
          `Cannot read the state file ${path.relative(process.cwd(), file)}: ${reason}`,
        );
        expect(message).toContain("delete the file and run again");
      }
    },
  );
});
