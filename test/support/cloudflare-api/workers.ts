/** The stand-in's Workers: scripts uploaded as multipart (metadata + modules), their settings and workers.dev subdomain. */
import { createHash, randomUUID } from "node:crypto";
import { ApiFailure } from "./envelope.ts";

/** One binding as the upload's metadata declares it (`{ type, name, ... }`). */
export interface WorkerBinding {
  type: string;
  name: string;
  [key: string]: unknown;
}

/** The `metadata` part of a script upload. */
export interface WorkerUploadMetadata {
  main_module?: string;
  body_part?: string;
  compatibility_date?: string;
  compatibility_flags?: string[];
  bindings?: WorkerBinding[];
  tags?: string[];
  observability?: unknown;
  logpush?: boolean;
  placement?: unknown;
  limits?: unknown;
  tail_consumers?: unknown;
  migrations?: unknown;
  [key: string]: unknown;
}

export interface WorkerModule {
  name: string;
  contentType: string;
  content: Uint8Array;
}

export interface WorkerScript {
  name: string;
  metadata: WorkerUploadMetadata;
  modules: WorkerModule[];
  etag: string;
  deploymentId: string;
  createdOn: string;
  modifiedOn: string;
  subdomain: { enabled: boolean; previews_enabled: boolean };
  /** Cron Triggers (PUT …/schedules), kept across uploads as Cloudflare does. */
  schedules: { cron: string; created_on: string; modified_on: string }[];
}

/** Binding types whose required fields the stand-in checks; others are stored as sent. */
const REQUIRED_FIELDS: Record<string, string[]> = {
  plain_text: ["text"],
  secret_text: ["text"],
  d1: ["id"],
  kv_namespace: ["namespace_id"],
  queue: ["queue_name"],
  send_email: [],
};

const SCRIPT_NAME = /^[a-z0-9]([a-z0-9-_]{0,61}[a-z0-9])?$/;

export class WorkerStore {
  private readonly scripts = new Map<string, WorkerScript>();

  constructor(
    private readonly databaseExists: (id: string) => boolean,
    private readonly namespaceExists: (id: string) => boolean,
    private readonly queueExists: (name: string) => boolean,
  ) {}

  upload(name: string, metadata: WorkerUploadMetadata, modules: WorkerModule[]) {
    if (!SCRIPT_NAME.test(name)) throw new ApiFailure(400, 10016, `Invalid Worker name: ${name}`);
    const main = metadata.main_module ?? metadata.body_part;
    if (!main || !modules.some((m) => m.name === main)) {
      throw new ApiFailure(400, 10021, `Uncaught Error: No such module "${main ?? ""}".`);
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(metadata.compatibility_date ?? "")) {
      throw new ApiFailure(400, 10021, "A compatibility_date (YYYY-MM-DD) is required.");
    }
    const seen = new Set<string>();
    for (const binding of metadata.bindings ?? []) {
      if (typeof binding.name !== "string" || typeof binding.type !== "string") {
        throw new ApiFailure(400, 10021, "Every binding needs a name and a type.");
      }
      if (seen.has(binding.name)) {
        throw new ApiFailure(400, 10021, `Binding name '${binding.name}' is used more than once.`);
      }
      seen.add(binding.name);
      for (const field of REQUIRED_FIELDS[binding.type] ?? []) {
        if (typeof binding[field] !== "string") {
          throw new ApiFailure(
            400,
            10021,
            `Binding '${binding.name}' of type ${binding.type} needs '${field}'.`,
          );
        }
      }
      if (binding.type === "d1" && !this.databaseExists(binding.id as string)) {
        throw new ApiFailure(
          400,
          10021,
          `D1 binding '${binding.name}' references database ${binding.id}, which does not exist.`,
        );
      }
      if (binding.type === "kv_namespace" && !this.namespaceExists(binding.namespace_id as string)) {
        throw new ApiFailure(
          400,
          10042,
          `KV namespace '${binding.namespace_id}' is not valid. Please verify the namespace_id in your configuration.`,
        );
      }
      if (binding.type === "queue" && !this.queueExists(binding.queue_name as string)) {
        throw new ApiFailure(
          400,
          11000,
          `Queue "${binding.queue_name}" does not exist. To create it, run: wrangler queues create ${binding.queue_name}`,
        );
      }
    }
    const now = new Date().toISOString();
    const previous = this.scripts.get(name);
    const hash = createHash("sha256");
    for (const m of modules) hash.update(m.name).update(m.content);
    hash.update(JSON.stringify(metadata));
    const script: WorkerScript = {
      name,
      metadata,
      modules,
      etag: hash.digest("hex"),
      deploymentId: randomUUID(),
      createdOn: previous?.createdOn ?? now,
      modifiedOn: now,
      subdomain: previous?.subdomain ?? { enabled: false, previews_enabled: false },
      schedules: previous?.schedules ?? [],
    };
    this.scripts.set(name, script);
    return {
      id: name,
      etag: script.etag,
      handlers: ["fetch"],
      created_on: script.createdOn,
      modified_on: script.modifiedOn,
      compatibility_date: metadata.compatibility_date,
      compatibility_flags: metadata.compatibility_flags ?? [],
      has_assets: false,
      has_modules: true,
      logpush: metadata.logpush ?? false,
      usage_model: "standard",
      startup_time_ms: 1,
      deployment_id: script.deploymentId,
    };
  }

  get(name: string): WorkerScript | undefined {
    return this.scripts.get(name);
  }

  names(): string[] {
    return [...this.scripts.keys()];
  }

  require(name: string): WorkerScript {
    const script = this.scripts.get(name);
    if (!script) throw new ApiFailure(404, 10007, "This Worker does not exist on your account.");
    return script;
  }

  /** PUT …/schedules: replaces the script's Cron Triggers with the body's list. */
  setSchedules(name: string, body: unknown) {
    const script = this.require(name);
    if (!Array.isArray(body) || !body.every((s) => typeof s?.cron === "string"))
      throw new ApiFailure(400, 10021, "Schedules must be a list of { cron }.");
    const now = new Date().toISOString();
    script.schedules = body.map((s: { cron: string }) => ({
      cron: s.cron,
      created_on: now,
      modified_on: now,
    }));
    return { schedules: script.schedules };
  }

  /** GET …/settings: what is bound, with secret values withheld as Cloudflare does. */
  settings(name: string) {
    const { metadata } = this.require(name);
    return {
      bindings: (metadata.bindings ?? []).map((b) =>
        b.type === "secret_text" ? { type: b.type, name: b.name } : b,
      ),
      compatibility_date: metadata.compatibility_date,
      compatibility_flags: metadata.compatibility_flags ?? [],
      logpush: metadata.logpush ?? false,
      observability: metadata.observability ?? null,
      placement: metadata.placement ?? {},
      limits: metadata.limits ?? {},
      tags: metadata.tags ?? [],
      tail_consumers: metadata.tail_consumers ?? [],
      usage_model: "standard",
    };
  }

  /** GET …/services/:name: the service and its production environment's script. */
  service(name: string) {
    const script = this.require(name);
    return {
      id: name,
      created_on: script.createdOn,
      modified_on: script.modifiedOn,
      default_environment: {
        environment: "production",
        created_on: script.createdOn,
        modified_on: script.modifiedOn,
        script: {
          id: name,
          etag: script.etag,
          handlers: ["fetch"],
          created_on: script.createdOn,
          modified_on: script.modifiedOn,
          tags: script.metadata.tags ?? [],
          usage_model: "standard",
        },
      },
    };
  }

  setSubdomain(name: string, body: { enabled?: unknown; previews_enabled?: unknown }) {
    const script = this.require(name);
    if (typeof body.enabled !== "boolean") {
      throw new ApiFailure(400, 10014, "enabled must be true or false.");
    }
    script.subdomain = {
      enabled: body.enabled,
      previews_enabled: typeof body.previews_enabled === "boolean" ? body.previews_enabled : body.enabled,
    };
    return { ...script.subdomain };
  }

  delete(name: string): void {
    this.require(name);
    this.scripts.delete(name);
  }
}
