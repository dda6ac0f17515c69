/**
 * Alchemy's file state store, written atomically, with a clear error for a file it cannot read, and
 * paying each secret's scrypt once per run instead of on every read and write.
 */
import { randomUUID } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { deserialize, isSecret, ResourceScope, type Scope, Secret, type State, serialize } from "alchemy";
import { FileSystemStateStore } from "alchemy/state";
import { type AtomicWriteHooks, removeLeftoverTempFiles, writeFileAtomic } from "./atomic-file.ts";
import { StateFileError } from "./state-file-error.ts";

/** A secret as Alchemy writes it in state: `{ "@secret": <ciphertext> }`. */
type SecretNode = { "@secret": unknown };

/**
 * Alchemy 0.94 encrypts every secret with a key derived by scrypt (N=16384, ~20 ms of CPU) from the
 * password and a fresh salt, on every state read and every write. A local re-run paid ~16 of them,
 * most in sequence before and after workerd starts. This cache remembers, for the run, what each
 * ciphertext decrypts to and which ciphertext stands for each value: a ciphertext is decrypted once,
 * and an unchanged secret is written back as the ciphertext it was read as (or first written as).
 * The state files keep Alchemy's exact format, readable by Alchemy alone.
 *
 * Why reuse is safe: the same value under the same password and salt/IV gives the same bytes, so
 * nothing leaks but that two fields hold the same value (state already shows that: a Worker's
 * props and output both carry its bindings). A different value is always encrypted afresh, so no
 * salt/IV pair ever covers two plaintexts (what AES-GCM forbids).
 */
export class SecretCache {
  /** `password \0 ciphertext JSON` → the decrypted value. */
  private readonly plain = new Map<string, Promise<unknown>>();
  /** `password \0 value JSON` → the ciphertext to write for that value. */
  private readonly cipher = new Map<string, Promise<unknown>>();

  /** The value of a secret node, decrypted by Alchemy the first time this run sees its ciphertext. */
  decrypt(scope: Scope, node: SecretNode): Promise<unknown> {
    const key = `${scope.password}\0${JSON.stringify(node["@secret"])}`;
    let value = this.plain.get(key);
    if (!value) {
      value = deserialize(scope, node).then((secret: Secret<unknown>) => secret.unencrypted);
      // A failed decrypt (wrong password) must fail again next time, not stay cached.
      value.catch(() => this.plain.delete(key));
      this.plain.set(key, value);
      // Writing this value back reuses this ciphertext (legacy string ciphertexts are re-encrypted).
      const cipherKey = value.then((v) => `${scope.password}\0${JSON.stringify(v)}`);
      if (typeof node["@secret"] === "object")
        void cipherKey.then(
          (k) => this.cipher.has(k) || this.cipher.set(k, Promise.resolve(node["@secret"])),
          () => undefined,
        );
    }
    return value;
  }

  /** The ciphertext for a value: the one it was read as or first written as this run, else a new one. */
  encrypt(scope: Scope, value: unknown): Promise<unknown> {
    const key = `${scope.password}\0${JSON.stringify(value)}`;
    let node = this.cipher.get(key);
    if (!node) {
      node = serialize(scope, new Secret(value)).then((n: SecretNode) => n["@secret"]);
      node.catch(() => this.cipher.delete(key));
      this.cipher.set(key, node);
    }
    return node;
  }
}

function isSecretNode(value: unknown): value is SecretNode {
  // The same test as Alchemy's deserialize: any object with a truthy "@secret".
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !!(value as SecretNode)["@secret"]
  );
}

/** Every secret node in parsed state JSON (plain data: no cycles). */
function secretNodes(value: unknown, found: SecretNode[] = []): SecretNode[] {
  if (isSecretNode(value)) found.push(value);
  else if (Array.isArray(value)) for (const item of value) secretNodes(item, found);
  else if (typeof value === "object" && value !== null)
    for (const item of Object.values(value)) secretNodes(item, found);
  return found;
}

/** A state file's JSON, or a `StateFileError` naming the file and how to recover. */
function parseStateFile(file: string, content: string): unknown {
  try {
    return JSON.parse(content);
  } catch (error) {
    throw new StateFileError(
      file,
      content.trim() === "" ? "it is empty" : `it is not whole JSON (${(error as Error).message})`,
    );
  }
}

/**
 * The file store Alchemy uses by default, with reads and writes going through a `SecretCache`, and
 * every write atomic: Alchemy's own `writeFile` truncates the file first, so a run killed during
 * it left a file no later run could parse. Everything else (paths, listing, delete) is Alchemy's own.
 */
export class CachedSecretsFileStateStore extends FileSystemStateStore {
  constructor(
    scope: Scope,
    private readonly secrets: SecretCache,
    /** Test-only hooks for a write (state-write-fault.ts). */
    private readonly writeHooks?: (key: string, status: string) => AtomicWriteHooks,
  ) {
    super(scope);
  }

  /** Stands in for a secret during serialization; random, so no plain value can look like one. */
  private readonly placeholder = `\0authform-secret-${randomUUID()}-`;

  /** Without a password, or when secrets are erased, Alchemy's own path decides what happens. */
  private get cached(): boolean {
    return !!this.scope.password && !this.scope.eraseSecrets;
  }

  /** Alchemy's file name for a key (colons, and Windows' substitutions). */
  private file(key: string): string {
    return (this as unknown as { getPath(key: string): string }).getPath(key);
  }

  override async get(key: string): Promise<State | undefined> {
    const file = this.file(key);
    let content: string;
    try {
      content = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    const json = parseStateFile(file, content);
    const state = this.cached
      ? await this.deserializeCached(json)
      : ((await deserialize(this.scope, json)) as State);
    // As Alchemy's store does: outputs know their scope.
    if (state.output === undefined) state.output = {} as State["output"];
    state.output[ResourceScope] = this.scope;
    return state;
  }

  /** Alchemy's deserialize, each secret decrypted through the cache. */
  private async deserializeCached(json: unknown): Promise<State> {
    const nodes = secretNodes(json);
    const values = await Promise.all(nodes.map((node) => this.secrets.decrypt(this.scope, node)));
    const byNode = new Map<unknown, unknown>(nodes.map((node, i) => [node, values[i]]));
    return (await deserialize(this.scope, json, {
      transform: (value: unknown) =>
        byNode.has(value) ? { value: new Secret(byNode.get(value)) } : undefined,
    })) as State;
  }

  override async set(key: string, value: State): Promise<void> {
    // Without a password, or when secrets are erased, Alchemy's own serialization decides.
    const json = this.cached ? await this.serializeCached(value) : await serialize(this.scope, value);
    await this.init();
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, JSON.stringify(json, null, 2), this.writeHooks?.(key, value.status));
  }

  /** A killed write can leave a temp file; Alchemy's deinit refuses a folder that still holds files. */
  override async deinit(): Promise<void> {
    await removeLeftoverTempFiles(this.dir);
    await super.deinit();
  }

  /** Alchemy's serialize, each secret encrypted through the cache. */
  private async serializeCached(value: State): Promise<unknown> {
    // Alchemy's own walk, each secret replaced by a placeholder; then each placeholder becomes the
    // secret's (cached) ciphertext.
    const values: unknown[] = [];
    const json: unknown = await serialize(this.scope, value, {
      encrypt: false,
      transform: (v: unknown) =>
        isSecret(v)
          ? { type: "secret", unencrypted: `${this.placeholder}${values.push(v.unencrypted) - 1}` }
          : v,
    });
    const nodes = secretNodes(json).filter(
      (node) => typeof node["@secret"] === "string" && node["@secret"].startsWith(this.placeholder),
    );
    const ciphers = await Promise.all(
      nodes.map((node) =>
        this.secrets.encrypt(
          this.scope,
          values[Number((node["@secret"] as string).slice(this.placeholder.length))],
        ),
      ),
    );
    for (const [i, node] of nodes.entries()) node["@secret"] = ciphers[i];
    return json;
  }
}
