/** Where a stage's Alchemy state lives (this disk, or a shared remote store in CI), and what a run changed in it. */
// Types only at load: Alchemy reads process.argv when it loads, and the CLI imports this module
// before it hands Alchemy a clean argv.

import type { Scope, State, StateStore, StateStoreType } from "alchemy";
import type { Mode } from "../plan/types.ts";
import { UserError } from "../user-error.ts";
import { DelegatingStateStore } from "./delegating-state-store.ts";

export type StateStoreKind = "file" | "cloudflare" | "s3";

const KINDS: readonly StateStoreKind[] = ["file", "cloudflare", "s3"];

/** A state-store setting that cannot work; raised before anything is provisioned. */
export class StateStoreError extends UserError {
  override name = "StateStoreError";
}

/** True when the environment says it is CI (GitHub Actions and most CI services set CI=true). */
export function isCi(env: Record<string, string | undefined>): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "false" && value !== "0";
}

/**
 * Which store a run uses. Local mode, and deploys from a person's machine, keep state in
 * `.alchemy/` on disk. Deploys in CI must share state between runs on different machines, so
 * there the default is Alchemy's Cloudflare state store; `AUTHFORM_STATE_STORE` picks another.
 */
export function chooseStateStoreKind(env: Record<string, string | undefined>, mode: Mode): StateStoreKind {
  if (mode === "local") return "file";
  const chosen = env.AUTHFORM_STATE_STORE?.trim();
  if (chosen) {
    if (!(KINDS as readonly string[]).includes(chosen)) {
      throw new StateStoreError(
        `AUTHFORM_STATE_STORE is "${chosen}"; expected one of: ${KINDS.join(", ")}. Nothing was provisioned.`,
      );
    }
    return chosen as StateStoreKind;
  }
  return isCi(env) ? "cloudflare" : "file";
}

/** The settings a store needs from the environment, checked before the run starts. */
export function checkStateStoreEnv(kind: StateStoreKind, env: Record<string, string | undefined>): void {
  const missing: string[] = [];
  if (kind === "cloudflare" && !env.ALCHEMY_STATE_TOKEN?.trim()) {
    missing.push(
      "ALCHEMY_STATE_TOKEN — the bearer token of Alchemy's state Worker (any long random string; the same for every deploy to the account)",
    );
  }
  if (kind === "s3" && !env.AUTHFORM_STATE_BUCKET?.trim()) {
    missing.push("AUTHFORM_STATE_BUCKET — an existing S3 bucket that holds the state");
  }
  if (missing.length > 0) {
    throw new StateStoreError(
      [
        `The ${kind} state store needs:`,
        ...missing.map((m) => `  • ${m}`),
        "Set it in the environment (in CI: a repository secret). Nothing was provisioned.",
      ].join("\n"),
    );
  }
}

/** Builds the store factory Alchemy calls once per scope. */
export async function createStateStore(
  kind: StateStoreKind,
  env: Record<string, string | undefined>,
): Promise<StateStoreType> {
  checkStateStoreEnv(kind, env);
  const { CloudflareStateStore } = await import("alchemy/state");
  if (kind === "cloudflare") {
    const { default: alchemy } = await import("alchemy");
    const stateToken = alchemy.secret(env.ALCHEMY_STATE_TOKEN as string);
    return (scope) => new CloudflareStateStore(scope, { stateToken });
  }
  if (kind === "s3") {
    // alchemy/aws loads the S3 client at import; only S3 users need it installed.
    const aws = await import("alchemy/aws").catch((err: Error) => {
      throw new StateStoreError(
        `AUTHFORM_STATE_STORE=s3 needs the AWS S3 client: npm install @aws-sdk/client-s3 (${err.message})`,
      );
    });
    const options = {
      bucketName: env.AUTHFORM_STATE_BUCKET as string,
      region: env.AUTHFORM_STATE_REGION || env.AWS_REGION || undefined,
      prefix: env.AUTHFORM_STATE_PREFIX || undefined,
    };
    /**
     * Alchemy 0.94's S3 store lists a prefix without a delimiter, so the app scope's list includes
     * its stages' resources ("stage/worker"), which it then cannot read back: finalize fails on every
     * run. A scope owns only the keys directly under its prefix.
     */
    class ScopedS3StateStore extends aws.S3StateStore {
      override async list(): Promise<string[]> {
        return (await super.list()).filter((key) => !key.includes("/"));
      }
    }
    return (scope) => new ScopedS3StateStore(scope, options);
  }
  // Alchemy's file store, written atomically, each secret decrypted once per run rather than on
  // every read and write.
  const { CachedSecretsFileStateStore, SecretCache } = await import("./file-state-store.ts");
  const { stateWriteFault } = await import("./state-write-fault.ts");
  const secrets = new SecretCache();
  const fault = stateWriteFault(env);
  return (scope) => new CachedSecretsFileStateStore(scope, secrets, fault);
}

/** A resource the run created, updated or deleted. */
export interface StateChange {
  id: string;
  kind: string;
  change: "created" | "updated" | "deleted";
}

/**
 * Wraps a store to note every resource Alchemy applies or deletes. Alchemy writes state only
 * when it acts on a resource, so a run that notes nothing changed nothing remote.
 */
export function recordingStateStore(inner: StateStoreType, changes: StateChange[]): StateStoreType {
  return (scope) => new RecordingStateStore(inner(scope), scope, changes);
}

class RecordingStateStore extends DelegatingStateStore {
  constructor(
    inner: StateStore,
    private readonly scope: Scope,
    private readonly changes: StateChange[],
  ) {
    super(inner);
  }

  override async set(key: string, value: State): Promise<void> {
    if (value.status === "creating" || value.status === "updating") {
      this.note(key, value.kind, value.status === "creating" ? "created" : "updated");
    }
    await this.inner.set(key, value);
  }

  override async delete(key: string): Promise<void> {
    const previous = await this.inner.get(key);
    if (previous && previous.kind !== "alchemy::Scope") this.note(key, previous.kind, "deleted");
    await this.inner.delete(key);
  }

  private note(key: string, kind: string, change: StateChange["change"]) {
    const id = [...this.scope.chain.slice(2), key].join("/");
    const existing = this.changes.find((c) => c.id === id);
    // A resource created in this run and then updated is still "created".
    if (existing && !(existing.change === "created" && change === "updated")) existing.change = change;
    else if (!existing) this.changes.push({ id, kind, change });
  }
}

/**
 * A run killed after Cloudflare created a resource but before state recorded it leaves the
 * resource behind, and its state says "creating". The next run then adopts what it must create:
 * a resource of that name is the one the killed run made. Runs that recover nothing never adopt,
 * so a clash with a resource this stage did not create stays an error. (Set on the scope, not in
 * props: props are compared between runs, and a recovery must not read as a change later.)
 */
export async function adoptIfRecovering(scope: Scope): Promise<string[]> {
  const interrupted = Object.entries(await scope.state.all())
    .filter(([, s]) => s.status === "creating")
    .map(([id]) => id);
  // Resource handlers read `this.scope.adopt` when their props do not say.
  if (interrupted.length > 0) (scope as { adopt: boolean }).adopt = true;
  return interrupted;
}

/** A resource still held in a stage's state: what destroy reports as left behind. */
export interface RemainingResource {
  id: string;
  kind: string;
  /** The cloud-side name, when the resource has one. */
  name?: string;
}

export async function remainingResources(scope: Scope): Promise<RemainingResource[]> {
  const states = await scope.state.all();
  return Object.entries(states)
    .filter(([, s]) => s.kind !== "alchemy::Scope")
    .map(([id, s]) => {
      const name = (s.output as { name?: unknown } | undefined)?.name;
      return { id, kind: s.kind, ...(typeof name === "string" ? { name } : {}) };
    });
}

/** One line a person reads after a deploy: what changed on the cloud side, or that nothing did. */
export function describeChanges(changes: StateChange[]): string {
  if (changes.length === 0)
    return "Unchanged: the stage already matches the config; nothing was sent to Cloudflare.";
  return `Changed: ${changes.map((c) => `${c.id} ${c.change}`).join(", ")}.`;
}
