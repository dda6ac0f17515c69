/**
 * Runs a Worker script exactly as a deploy uploaded it to the Cloudflare stand-in: its modules, on
 * Miniflare, with the bindings, compatibility date and flags its upload's metadata declared. The D1
 * it binds starts with the project's migrations applied, as the deploy applied them to the real one.
 */
import { Miniflare, type WorkerOptions } from "miniflare";
import { applyMigrations } from "./apply-migrations.ts";
import type { WorkerBinding, WorkerScript } from "./cloudflare-api/index.ts";
import { bindingLogReader, type StoredEmail } from "./send-email-binding-log.ts";
import { type SendEmailBinding, type SentEmail, sendEmailTap } from "./send-email-tap.ts";

type Module = Extract<NonNullable<WorkerOptions["modules"]>, unknown[]>[number];
type ModuleType = Module["type"];

/** Multipart content types Cloudflare accepts for a module part, and what workerd calls them. */
const MODULE_TYPES: Record<string, ModuleType> = {
  "application/javascript+module": "ESModule",
  "text/javascript+module": "ESModule",
  "application/javascript": "CommonJS",
  "text/javascript": "CommonJS",
  "application/wasm": "CompiledWasm",
  "text/plain": "Text",
  "application/octet-stream": "Data",
};

export interface UploadedWorker {
  /** A request to the Worker, its URL (host included) as Cloudflare's edge would pass it. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** Every call of a send_email binding so far, in order: the message as the Worker passed it. */
  sentEmails: SentEmail[];
  /** What Miniflare's send_email binding rendered and stored for each builder-form message so far. */
  storedEmails(): Promise<StoredEmail[]>;
  dispose(): Promise<void>;
}

export async function runUploadedWorker(script: WorkerScript): Promise<UploadedWorker> {
  const { metadata } = script;
  const main = metadata.main_module ?? metadata.body_part;
  // workerd takes the main module first.
  const ordered = [...script.modules]
    // Source maps ride along for Cloudflare's stack traces; they are not modules the Worker imports.
    .filter((m) => !m.contentType.startsWith("application/source-map"))
    .sort((a, b) => Number(b.name === main) - Number(a.name === main));
  const modules: Module[] = ordered.map((m) => {
    const type = MODULE_TYPES[m.contentType.split(";")[0]?.trim() ?? ""];
    if (!type) throw new Error(`module ${m.name}: no workerd type for content type ${m.contentType}`);
    return { type, path: m.name, contents: m.content };
  });

  const vars: Record<string, string> = {};
  const d1: Record<string, string> = {};
  const kv: Record<string, string> = {};
  const email: SendEmailBinding[] = [];
  for (const binding of metadata.bindings ?? []) {
    switch (binding.type) {
      case "plain_text":
      case "secret_text":
        vars[binding.name] = binding.text as string;
        break;
      case "d1":
        d1[binding.name] = binding.id as string;
        break;
      case "kv_namespace":
        kv[binding.name] = binding.namespace_id as string;
        break;
      case "send_email":
        email.push(sendEmailBinding(binding));
        break;
      default:
        // Running without a declared binding would prove less than the test claims.
        throw new Error(`binding ${binding.name}: type ${binding.type} is not mapped to Miniflare`);
    }
  }

  const tap = sendEmailTap(email);
  const worker: WorkerOptions = {
    name: script.name,
    modules,
    compatibilityDate: metadata.compatibility_date,
    compatibilityFlags: metadata.compatibility_flags ?? [],
    bindings: vars,
    d1Databases: d1,
    kvNamespaces: kv,
    wrappedBindings: tap.wrappedBindings,
  };
  const log = bindingLogReader();
  const mf = new Miniflare({
    workers: email.length > 0 ? [worker, tap.worker] : [worker],
    handleStructuredLogs: log.handle,
  });
  try {
    await mf.ready;
    for (const name of Object.keys(d1)) await applyMigrations(await mf.getD1Database(name));
  } catch (err) {
    await mf.dispose();
    throw err;
  }
  return {
    sentEmails: tap.sent,
    storedEmails: log.stored,
    // Miniflare's fetch classes are undici's; the test talks in the global ones.
    fetch: (url, init) =>
      mf.dispatchFetch(
        url,
        init as Parameters<Miniflare["dispatchFetch"]>[1],
      ) as unknown as Promise<Response>,
    dispose: () => mf.dispose(),
  };
}

/** A send_email binding with the address restrictions it declared (Miniflare checks the same ones). */
function sendEmailBinding({ type: _type, name, ...rest }: WorkerBinding): SendEmailBinding {
  const binding: SendEmailBinding = { name };
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    if (key === "destination_address" && typeof value === "string") binding.destination_address = value;
    else if (key === "allowed_destination_addresses" && Array.isArray(value))
      binding.allowed_destination_addresses = value as string[];
    else if (key === "allowed_sender_addresses" && Array.isArray(value))
      binding.allowed_sender_addresses = value as string[];
    else throw new Error(`send_email binding ${name}: ${key} is not mapped to Miniflare`);
  }
  return binding;
}
