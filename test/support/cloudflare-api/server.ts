/** A loopback stand-in for the Cloudflare v4 API calls a deploy makes; it records every request it receives. */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { D1Store } from "./d1.ts";
import { DnsStore } from "./dns.ts";
import { DomainStore, zoneById } from "./domains.ts";
import { ApiFailure, fail, ok, okList, type Reply } from "./envelope.ts";
import { KvStore } from "./kv.ts";
import { QueueStore } from "./queues.ts";
import { RouteStore } from "./routes.ts";
import { allows, DEPLOY_PERMISSIONS, TOKEN_ID, tokenDetails } from "./tokens.ts";
import { type WorkerModule, WorkerStore, type WorkerUploadMetadata } from "./workers.ts";

const PREFIX = "/client/v4";

export interface StandInOptions {
  /** The token requests must carry as `Authorization: Bearer <token>`. @default "test" */
  token?: string;
  /** The only account the token may use. @default "0123456789abcdef0123456789abcdef" */
  accountId?: string;
  /** The account's workers.dev subdomain. @default "authform-tests" */
  subdomain?: string;
  /** The account has set up no workers.dev subdomain yet (new accounts). @default false */
  noSubdomain?: boolean;
  /**
   * The permission groups the token holds, by Cloudflare's API names ("D1 Write", "D1 Read",
   * "API Tokens Read"); a call needing another is refused as Cloudflare does, 403
   * `[10000] Authentication error`, naming nothing (see tokens.ts). @default DEPLOY_PERMISSIONS
   */
  permissions?: string[];
  /**
   * Who owns the token: a user ("My Profile → API Tokens") or the account ("Account API Tokens").
   * An account-owned token is unknown to `/user/tokens/verify` (401) and verifies at
   * `/accounts/{id}/tokens/verify`. @default "user"
   */
  tokenOwner?: "user" | "account";
  /** Hostnames onboarded to Email Sending, each on its zone. @default [] */
  sendingDomains?: string[];
  /** How many D1 databases the account may hold at once. @default 10 */
  databaseLimit?: number;
  /** Zones (domains) on the account, for Workers custom domains. @default ["example.com"] */
  zones?: string[];
}

/** What a request carried, as a test reads it. */
export interface RecordedRequest {
  method: string;
  /** The path after /client/v4, without the query string. */
  path: string;
  query: Record<string, string>;
  /** A JSON body, parsed. */
  body?: unknown;
  /** A Worker script upload: its metadata part and its module parts. */
  upload?: {
    metadata: WorkerUploadMetadata;
    modules: { name: string; contentType: string; size: number; sha256: string }[];
  };
  status: number;
  /** False when no route matched: the deploy called something the stand-in does not know. */
  handled: boolean;
  /** True when a refusal rule answered instead of the route. */
  refused: boolean;
}

/**
 * Runs `run` after the stand-in has done a matching request and before it answers: the point
 * where a client that dies never learns that its request succeeded.
 */
export interface AfterHandling {
  method: string;
  path: RegExp;
  /** Also match on the JSON body (e.g. a D1 query's SQL). */
  body?: (body: unknown) => boolean;
  run: () => Promise<void> | void;
}

/**
 * Makes the stand-in answer matching requests with a Cloudflare error instead of doing them, in
 * Cloudflare's envelope (`{ success: false, errors: [{ code, message }] }`): a 401/403 refusal, a
 * 429 (code 971), a 5xx outage, a limit or a name clash. `times` makes it a passing fault.
 */
export interface Refusal {
  method: string;
  path: RegExp;
  status?: number;
  code?: number;
  message?: string;
  /** Answer only this many matching requests, then let the route answer again. @default every one */
  times?: number;
  /**
   * Also match on the JSON body (e.g. the name a create carries), so deploys of several stages can
   * share the stand-in at once, each refused only its own requests.
   */
  body?: (body: unknown) => boolean;
}

type Params = Record<string, string>;
interface Incoming {
  params: Params;
  query: Params;
  json: Record<string, unknown>;
  /** The parsed JSON body as sent (an array for KV's bulk write). */
  body?: unknown;
  form?: FormData;
}
type Handler = (req: Incoming) => Promise<Reply> | Reply;

export class CloudflareApiStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly workers: WorkerStore;
  readonly domains: DomainStore;
  readonly dns: DnsStore;
  readonly kv = new KvStore();
  readonly queues: QueueStore;
  /** Workers routes, per zone (named apart from `routes`, the stand-in's own URL table). */
  readonly workerRoutes: RouteStore;
  private refusals: Refusal[] = [];
  private hooks: AfterHandling[] = [];
  private readonly routes: { method: string; pattern: RegExp; keys: string[]; handler: Handler }[] = [];

  private constructor(
    private readonly server: Server,
    readonly d1: D1Store,
    readonly options: Required<StandInOptions>,
  ) {
    this.workers = new WorkerStore(
      (id) => d1.has(id),
      (id) => this.kv.has(id),
      (name) => this.queues.byName(name) !== undefined,
    );
    this.queues = new QueueStore(
      (name) => this.workers.get(name) !== undefined,
      (queueName) =>
        this.workers
          .names()
          .filter((name) =>
            (this.workers.get(name)?.metadata.bindings ?? []).some(
              (b) => b.type === "queue" && b.queue_name === queueName,
            ),
          ),
    );
    this.domains = new DomainStore(
      options.accountId,
      options.zones,
      (name) => this.workers.get(name) !== undefined,
    );
    this.dns = new DnsStore(() => this.domains.zones);
    this.workerRoutes = new RouteStore(
      () => this.domains.zones,
      (name) => this.workers.get(name) !== undefined,
    );
    this.defineRoutes();
  }

  static async start(options: StandInOptions = {}): Promise<CloudflareApiStandIn> {
    const resolved: Required<StandInOptions> = {
      token: options.token ?? "test",
      accountId: options.accountId ?? "0123456789abcdef0123456789abcdef",
      subdomain: options.subdomain ?? "authform-tests",
      noSubdomain: options.noSubdomain ?? false,
      permissions: options.permissions ?? [...DEPLOY_PERMISSIONS],
      tokenOwner: options.tokenOwner ?? "user",
      sendingDomains: options.sendingDomains ?? [],
      databaseLimit: options.databaseLimit ?? 10,
      zones: options.zones ?? ["example.com"],
    };
    const d1 = await D1Store.start(resolved.databaseLimit);
    let standIn: CloudflareApiStandIn | undefined;
    const server = createServer((req, res) => {
      void standIn?.handle(req, res);
    });
    standIn = new CloudflareApiStandIn(server, d1, resolved);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return standIn;
  }

  /** The value for CLOUDFLARE_BASE_URL. */
  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${PREFIX}`;
  }

  /** The environment a deploy against this stand-in needs. */
  env(): Record<string, string> {
    return {
      CLOUDFLARE_API_TOKEN: this.options.token,
      CLOUDFLARE_ACCOUNT_ID: this.options.accountId,
      CLOUDFLARE_BASE_URL: this.baseUrl,
    };
  }

  /** Requests received from now on are those after the returned mark. */
  mark(): number {
    return this.requests.length;
  }

  since(mark: number): RecordedRequest[] {
    return this.requests.slice(mark);
  }

  /** Adds a refusal; the returned function takes that one away again (others stay). */
  refuse(refusal: Refusal): () => void {
    // A copy: `times` counts down here, not in the caller's object (a test table reuses it).
    const added = { ...refusal };
    this.refusals.push(added);
    return () => {
      this.refusals = this.refusals.filter((r) => r !== added);
    };
  }

  clearRefusals(): void {
    this.refusals = [];
  }

  /** Once: the first matching request runs the hook, which is then removed. */
  afterHandling(hook: AfterHandling): void {
    this.hooks.push(hook);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await this.d1.dispose();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const raw = await readBody(req);
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      handled: false,
      refused: false,
    };
    this.requests.push(record);
    const reply = await this.answer(req, url, raw, record).catch((err: unknown) =>
      err instanceof ApiFailure ? err.reply() : fail(500, 10000, `stand-in error: ${(err as Error).message}`),
    );
    record.status = reply.status;
    const hook = this.hooks.find(
      (h) => h.method === record.method && h.path.test(record.path) && (!h.body || h.body(record.body)),
    );
    if (hook) {
      this.hooks = this.hooks.filter((h) => h !== hook);
      await hook.run();
    }
    if (res.destroyed || req.socket.destroyed) return;
    res.writeHead(reply.status, { "content-type": "application/json" });
    res.end(JSON.stringify(reply.body));
  }

  private async answer(req: IncomingMessage, url: URL, raw: Buffer, record: RecordedRequest): Promise<Reply> {
    const contentType = req.headers["content-type"] ?? "";
    let json: Record<string, unknown> = {};
    let form: FormData | undefined;
    if (contentType.startsWith("multipart/form-data")) {
      form = await new Request(url, {
        method: "POST",
        headers: { "content-type": contentType },
        body: new Uint8Array(raw),
      }).formData();
      record.upload = await describeUpload(form);
    } else if (raw.length > 0) {
      try {
        json = JSON.parse(raw.toString("utf8"));
        record.body = json;
      } catch {
        return fail(400, 6007, "Malformed JSON in request body");
      }
    }
    if (!url.pathname.startsWith(`${PREFIX}/`)) return fail(404, 7000, "No route for that URI");
    if (req.headers.authorization !== `Bearer ${this.options.token}`) {
      // Cloudflare's answer to a token it does not know, on its verify endpoint and elsewhere.
      if (record.path === "/user/tokens/verify") return fail(401, 1000, "Invalid API Token");
      return fail(403, 10000, "Authentication error");
    }
    if (!allows(this.options.permissions, record.method, record.path)) {
      record.handled = true;
      return fail(403, 10000, "Authentication error");
    }
    for (const route of this.routes) {
      if (route.method !== record.method) continue;
      const match = route.pattern.exec(record.path);
      if (!match) continue;
      record.handled = true;
      const params = Object.fromEntries(
        route.keys.map((k, i) => [k, decodeURIComponent(match[i + 1] as string)]),
      );
      // Account routes answer only for the token's account; /zones lists what the token can see.
      if ("account" in params && params.account !== this.options.accountId) {
        return fail(403, 10000, "Authentication error");
      }
      const refusal = this.refusals.find(
        (r) =>
          r.method === record.method &&
          r.path.test(record.path) &&
          (!r.body || r.body(record.body)) &&
          (r.times ?? 1) > 0,
      );
      if (refusal) {
        if (refusal.times !== undefined) refusal.times--;
        record.refused = true;
        return fail(
          refusal.status ?? 400,
          refusal.code ?? 10000,
          refusal.message ?? "Refused by the stand-in.",
        );
      }
      return route.handler({ params, query: record.query, json, body: record.body, form });
    }
    return fail(404, 7000, "No route for that URI");
  }

  private route(method: string, template: string, handler: Handler): void {
    const keys: string[] = [];
    const source = template.replace(/:(\w+)/g, (_, key: string) => {
      keys.push(key);
      return "([^/]+)";
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler });
  }

  private defineRoutes(): void {
    const d1 = this.d1;
    const workers = this.workers;
    const acct = "/accounts/:account";

    const domains = this.domains;
    this.route("GET", "/zones", ({ query }) => okList(domains.listZones(query)));
    const dns = this.dns;
    const records = "/zones/:zone/dns_records";
    this.route("GET", records, ({ params, query }) => okList(dns.list(params.zone as string, query)));
    this.route("POST", records, ({ params, json }) => ok(dns.create(params.zone as string, json)));
    this.route("GET", `${records}/:id`, ({ params }) =>
      ok(dns.get(params.zone as string, params.id as string)),
    );
    for (const method of ["PUT", "PATCH"]) {
      this.route(method, `${records}/:id`, ({ params, json }) =>
        ok(dns.update(params.zone as string, params.id as string, json, method === "PATCH")),
      );
    }
    this.route("DELETE", `${records}/:id`, ({ params }) =>
      ok(dns.delete(params.zone as string, params.id as string)),
    );
    const workerRoutes = this.workerRoutes;
    const zoneRoutes = "/zones/:zone/workers/routes";
    this.route("GET", zoneRoutes, ({ params }) => okList(workerRoutes.list(params.zone as string)));
    this.route("POST", zoneRoutes, ({ params, json }) =>
      ok(workerRoutes.create(params.zone as string, json)),
    );
    this.route("GET", `${zoneRoutes}/:id`, ({ params }) =>
      ok(workerRoutes.get(params.zone as string, params.id as string)),
    );
    this.route("PUT", `${zoneRoutes}/:id`, ({ params, json }) =>
      ok(workerRoutes.update(params.zone as string, params.id as string, json)),
    );
    this.route("DELETE", `${zoneRoutes}/:id`, ({ params }) =>
      ok(workerRoutes.delete(params.zone as string, params.id as string)),
    );
    this.route("GET", `${acct}/workers/domains`, ({ query }) => okList(domains.list(query)));
    this.route("PUT", `${acct}/workers/domains`, ({ json }) => ok(domains.put(json)));
    this.route("DELETE", `${acct}/workers/domains/:id`, ({ params }) => {
      domains.delete(params.id as string);
      return ok(null);
    });

    this.route("GET", `${acct}/workers/subdomain`, () => {
      if (this.options.noSubdomain) throw new ApiFailure(404, 10007, "workers.dev subdomain not found");
      return ok({ subdomain: this.options.subdomain });
    });
    // Verify Token: the token's id and status, at the endpoint of its owner; a user's endpoint does
    // not know an account-owned token (401, as for any unknown token).
    const owned = (owner: "user" | "account") => () => {
      if (this.options.tokenOwner !== owner) throw new ApiFailure(401, 1000, "Invalid API Token");
      return ok({ id: TOKEN_ID, status: "active" });
    };
    this.route("GET", "/user/tokens/verify", owned("user"));
    this.route("GET", `${acct}/tokens/verify`, owned("account"));
    // Token Details (needs "API Tokens Read", or "Account API Tokens Read" for an account's token).
    const details = (owner: "user" | "account") => (req: Incoming) => {
      if (this.options.tokenOwner !== owner || req.params.id !== TOKEN_ID) {
        throw new ApiFailure(404, 1003, "Invalid token id");
      }
      return ok(tokenDetails(this.options.permissions, this.options.accountId));
    };
    this.route("GET", "/user/tokens/:id", details("user"));
    this.route("GET", `${acct}/tokens/:id`, details("account"));
    // List sending subdomains: the zone's hostnames onboarded to Email Sending.
    this.route("GET", "/zones/:zone/email/sending/subdomains", ({ params }) => {
      const zone = zoneById(domains.zones, params.zone as string, "email/sending/subdomains");
      const rows = this.options.sendingDomains.filter((n) => n === zone.name || n.endsWith(`.${zone.name}`));
      return okList(
        rows.map((name) => ({
          tag: createHash("md5").update(`sending:${name}`).digest("hex"),
          name,
          email_sending_enabled: true,
          // Email Routing (receiving) on the same row.
          enabled: false,
          email_sending_dkim_selector: "cf-bounce",
          email_sending_return_path_domain: `cf-bounce.${name}`,
          created: "2026-01-01T00:00:00Z",
          modified: "2026-01-01T00:00:00Z",
        })),
      );
    });
    // GET /accounts/{id}: the account, when the token may use it (else 403 above).
    this.route("GET", acct, () =>
      ok({ id: this.options.accountId, name: "authform tests", type: "standard", settings: {} }),
    );
    this.route("GET", `${acct}/workers/scripts`, () =>
      okList(workers.names().map((name) => ({ id: name, etag: workers.require(name).etag }))),
    );

    this.route("POST", `${acct}/d1/database`, async ({ json }) => ok(await d1.create(json)));
    this.route("GET", `${acct}/d1/database`, ({ query }) => okList(d1.list(query.name)));
    this.route("GET", `${acct}/d1/database/:id`, async ({ params }) => ok(await d1.get(params.id as string)));
    this.route("PATCH", `${acct}/d1/database/:id`, async ({ params, json }) =>
      ok(await d1.setReadReplication(params.id as string, json)),
    );
    this.route("DELETE", `${acct}/d1/database/:id`, ({ params }) => {
      d1.delete(params.id as string);
      return ok(null);
    });
    this.route("POST", `${acct}/d1/database/:id/query`, async ({ params, json }) =>
      ok(await d1.query(params.id as string, json)),
    );

    const kv = this.kv;
    const namespaces = `${acct}/storage/kv/namespaces`;
    this.route("POST", namespaces, ({ json }) => ok(kv.create(json)));
    this.route("GET", namespaces, ({ query }) => kv.list(query));
    this.route("GET", `${namespaces}/:id`, ({ params }) => ok(kv.get(params.id as string)));
    this.route("PUT", `${namespaces}/:id`, ({ params, json }) => ok(kv.rename(params.id as string, json)));
    this.route("DELETE", `${namespaces}/:id`, ({ params }) => {
      kv.delete(params.id as string);
      return ok(null);
    });
    this.route("PUT", `${namespaces}/:id/bulk`, ({ params, body }) =>
      ok(kv.bulkWrite(params.id as string, body)),
    );

    const queues = this.queues;
    const queuesPath = `${acct}/queues`;
    this.route("POST", queuesPath, ({ json }) => ok(queues.create(json)));
    this.route("GET", queuesPath, ({ query }) => queues.list(query));
    this.route("GET", `${queuesPath}/:id`, ({ params }) => ok(queues.get(params.id as string)));
    for (const method of ["PUT", "PATCH"]) {
      this.route(method, `${queuesPath}/:id`, ({ params, json }) =>
        ok(queues.update(params.id as string, json, method === "PATCH")),
      );
    }
    this.route("DELETE", `${queuesPath}/:id`, ({ params }) => {
      queues.delete(params.id as string);
      return ok(null);
    });
    const consumers = `${queuesPath}/:id/consumers`;
    this.route("POST", consumers, ({ params, json }) => ok(queues.createConsumer(params.id as string, json)));
    this.route("GET", consumers, ({ params }) => okList(queues.listConsumers(params.id as string)));
    this.route("PUT", `${consumers}/:consumer`, ({ params, json }) =>
      ok(queues.updateConsumer(params.id as string, params.consumer as string, json)),
    );
    this.route("DELETE", `${consumers}/:consumer`, ({ params }) => {
      queues.deleteConsumer(params.id as string, params.consumer as string);
      return ok(null);
    });

    this.route("GET", `${acct}/workers/scripts/:name`, ({ params }) => {
      const script = workers.require(params.name as string);
      // The real endpoint answers with the script's content; the stand-in answers with its etag.
      return ok({ id: script.name, etag: script.etag });
    });
    this.route("PUT", `${acct}/workers/scripts/:name`, async ({ params, form }) => {
      if (!form) throw new ApiFailure(400, 10021, "A Worker upload must be multipart/form-data.");
      const metadataPart = form.get("metadata");
      if (!metadataPart) throw new ApiFailure(400, 10021, "The upload has no metadata part.");
      const metadata = JSON.parse(
        typeof metadataPart === "string" ? metadataPart : await metadataPart.text(),
      );
      const modules: WorkerModule[] = [];
      for (const [name, value] of form.entries()) {
        if (name === "metadata" || typeof value === "string") continue;
        modules.push({ name, contentType: value.type, content: new Uint8Array(await value.arrayBuffer()) });
      }
      return ok(workers.upload(params.name as string, metadata, modules));
    });
    this.route("DELETE", `${acct}/workers/scripts/:name`, ({ params }) => {
      workers.delete(params.name as string);
      return ok(null);
    });
    this.route("GET", `${acct}/workers/scripts/:name/settings`, ({ params }) =>
      ok(workers.settings(params.name as string)),
    );
    this.route("GET", `${acct}/workers/scripts/:name/subdomain`, ({ params }) =>
      ok({ ...workers.require(params.name as string).subdomain }),
    );
    this.route("POST", `${acct}/workers/scripts/:name/subdomain`, ({ params, json }) =>
      ok(workers.setSubdomain(params.name as string, json)),
    );
    this.route("GET", `${acct}/workers/scripts/:name/schedules`, ({ params }) =>
      ok({ schedules: workers.require(params.name as string).schedules }),
    );
    this.route("PUT", `${acct}/workers/scripts/:name/schedules`, ({ params, json }) =>
      ok(workers.setSchedules(params.name as string, json)),
    );
    this.route("GET", `${acct}/workers/scripts/:name/queue-consumers`, ({ params }) => {
      workers.require(params.name as string);
      return okList(this.queues.consumersOfScript(params.name as string));
    });
    this.route("GET", `${acct}/workers/services/:name`, ({ params }) =>
      ok(workers.service(params.name as string)),
    );
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function describeUpload(form: FormData): Promise<RecordedRequest["upload"]> {
  const metadataPart = form.get("metadata");
  const text =
    metadataPart === null
      ? "{}"
      : typeof metadataPart === "string"
        ? metadataPart
        : await metadataPart.text();
  const modules: NonNullable<RecordedRequest["upload"]>["modules"] = [];
  for (const [name, value] of form.entries()) {
    if (name === "metadata" || typeof value === "string") continue;
    const bytes = new Uint8Array(await value.arrayBuffer());
    modules.push({
      name,
      contentType: value.type,
      size: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
  }
  return { metadata: JSON.parse(text), modules };
}
