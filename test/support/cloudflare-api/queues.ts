/**
 * The stand-in's Queues: queues by id (create, list, get, update, delete), names unique per account,
 * and their Worker consumers (one per queue; create, list, update, delete) with a dead-letter queue,
 * retries and batch settings, in the shapes of Cloudflare's Queues API.
 */
import { randomUUID } from "node:crypto";
import { ApiFailure, ok, type Reply } from "./envelope.ts";

export interface QueueSettingsObject {
  delivery_delay: number;
  delivery_paused: boolean;
  message_retention_period: number;
}

export interface QueueConsumerObject {
  consumer_id: string;
  queue_id: string;
  queue_name: string;
  script: string;
  type: "worker";
  /** The dead-letter queue's name; "" when the consumer has none (as Cloudflare lists it). */
  dead_letter_queue: string;
  settings: {
    batch_size: number;
    max_retries: number;
    max_wait_time_ms: number;
    max_concurrency: number | null;
    retry_delay: number;
  };
  created_on: string;
}

export interface QueueObject {
  queue_id: string;
  queue_name: string;
  created_on: string;
  modified_on: string;
  settings: QueueSettingsObject;
  consumers: QueueConsumerObject[];
  consumers_total_count: number;
  producers: { type: "worker"; script: string }[];
  producers_total_count: number;
}

/** Queue names: lowercase letters, digits and dashes, at most 63 (as Wrangler and the API check). */
const QUEUE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** The documented bounds of a Worker consumer's settings, and their defaults. */
const CONSUMER_BOUNDS = {
  batch_size: { min: 1, max: 100, default: 10 },
  max_retries: { min: 0, max: 100, default: 3 },
  max_wait_time_ms: { min: 0, max: 60_000, default: 5_000 },
  retry_delay: { min: 0, max: 43_200, default: 0 },
} as const;
const DEFAULT_SETTINGS: QueueSettingsObject = {
  delivery_delay: 0,
  delivery_paused: false,
  message_retention_period: 345_600,
};
const PER_PAGE = { max: 1000, default: 20 };

interface StoredQueue {
  id: string;
  name: string;
  createdOn: string;
  modifiedOn: string;
  settings: QueueSettingsObject;
  consumers: Map<string, QueueConsumerObject>;
}

export class QueueStore {
  private readonly queues = new Map<string, StoredQueue>();

  constructor(
    private readonly scriptExists: (name: string) => boolean,
    /** Workers whose uploaded bindings name this queue (its producers). */
    private readonly producersOf: (queueName: string) => string[],
  ) {}

  /** POST /queues `{ queue_name, settings? }`: a name is unique within the account. */
  create(body: Record<string, unknown>): QueueObject {
    const name = validName(body.queue_name);
    if (this.byName(name)) throw new ApiFailure(409, 11009, "A queue with this name already exists");
    const now = new Date().toISOString();
    // Queue ids are 32 hex characters.
    const id = randomUUID().replaceAll("-", "");
    this.queues.set(id, {
      id,
      name,
      createdOn: now,
      modifiedOn: now,
      settings: mergeSettings(DEFAULT_SETTINGS, body.settings),
      consumers: new Map(),
    });
    return this.view(this.require(id));
  }

  /** GET /queues: one page, by name, with the pagination block a client follows. */
  list(query: Record<string, string>): Reply {
    const page = positive(query.page, 1);
    const perPage = Math.min(positive(query.per_page, PER_PAGE.default), PER_PAGE.max);
    const sorted = [...this.queues.values()].sort((a, b) => a.name.localeCompare(b.name));
    const items = sorted.slice((page - 1) * perPage, page * perPage).map((q) => this.view(q));
    const reply = ok(items);
    reply.body.result_info = {
      page,
      per_page: perPage,
      count: items.length,
      total_count: sorted.length,
      total_pages: Math.ceil(sorted.length / perPage),
    };
    return reply;
  }

  get(id: string): QueueObject {
    return this.view(this.require(id));
  }

  /** PATCH (partial) or PUT /queues/:id `{ queue_name?, settings? }`: a rename must keep names unique. */
  update(id: string, body: Record<string, unknown>, partial: boolean): QueueObject {
    const queue = this.require(id);
    if (body.queue_name !== undefined || !partial) {
      const name = validName(body.queue_name);
      const holder = this.byName(name);
      if (holder && holder.queue_id !== id) {
        throw new ApiFailure(409, 11009, "A queue with this name already exists");
      }
      queue.name = name;
    }
    queue.settings = mergeSettings(partial ? queue.settings : DEFAULT_SETTINGS, body.settings);
    queue.modifiedOn = new Date().toISOString();
    return this.view(queue);
  }

  /** DELETE /queues/:id: the queue, with its consumer. */
  delete(id: string): void {
    this.require(id);
    this.queues.delete(id);
  }

  /** POST /queues/:id/consumers: one Worker consumer per queue, for a Worker that exists. */
  createConsumer(queueId: string, body: Record<string, unknown>): QueueConsumerObject {
    const queue = this.require(queueId);
    if (queue.consumers.size > 0) {
      throw new ApiFailure(400, 11004, `Queue ${queue.name} already has a consumer`);
    }
    const consumer: QueueConsumerObject = {
      consumer_id: randomUUID().replaceAll("-", ""),
      queue_id: queue.id,
      queue_name: queue.name,
      created_on: new Date().toISOString(),
      ...this.consumerFields(queue, body),
    };
    queue.consumers.set(consumer.consumer_id, consumer);
    return { ...consumer };
  }

  listConsumers(queueId: string): QueueConsumerObject[] {
    return [...this.require(queueId).consumers.values()].map((c) => ({ ...c }));
  }

  /** PUT /queues/:id/consumers/:consumer: replaces the consumer's script, dead-letter queue and settings. */
  updateConsumer(queueId: string, consumerId: string, body: Record<string, unknown>): QueueConsumerObject {
    const queue = this.require(queueId);
    const consumer = this.requireConsumer(queue, consumerId);
    Object.assign(consumer, this.consumerFields(queue, body));
    return { ...consumer };
  }

  deleteConsumer(queueId: string, consumerId: string): void {
    const queue = this.require(queueId);
    this.requireConsumer(queue, consumerId);
    queue.consumers.delete(consumerId);
  }

  /** GET /workers/scripts/:name/queue-consumers: every consumer this Worker is. */
  consumersOfScript(script: string): QueueConsumerObject[] {
    return [...this.queues.values()]
      .flatMap((q) => [...q.consumers.values()])
      .filter((c) => c.script === script)
      .map((c) => ({ ...c }));
  }

  /** For tests and the Worker upload: queues by name. */
  byName(name: string): QueueObject | undefined {
    const queue = [...this.queues.values()].find((q) => q.name === name);
    return queue ? this.view(queue) : undefined;
  }

  has(id: string): boolean {
    return this.queues.has(id);
  }

  private consumerFields(queue: StoredQueue, body: Record<string, unknown>) {
    const script = body.script_name ?? body.script;
    if (typeof script !== "string" || script === "") {
      throw new ApiFailure(400, 11000, "script_name is required for a worker consumer");
    }
    if (body.type !== undefined && body.type !== "worker") {
      throw new ApiFailure(400, 11000, `consumer type '${String(body.type)}' is not a worker consumer`);
    }
    if (!this.scriptExists(script)) {
      throw new ApiFailure(404, 10007, `Worker '${script}' does not exist on your account.`);
    }
    const dlq = body.dead_letter_queue ?? "";
    if (typeof dlq !== "string") throw new ApiFailure(400, 11000, "dead_letter_queue must be a queue name");
    if (dlq === queue.name) {
      throw new ApiFailure(400, 11000, "a queue cannot be its own dead_letter_queue");
    }
    const given = (body.settings ?? {}) as Record<string, unknown>;
    const setting = (key: keyof typeof CONSUMER_BOUNDS): number => {
      const bounds = CONSUMER_BOUNDS[key];
      const value = given[key] ?? bounds.default;
      if (typeof value !== "number" || !Number.isInteger(value) || value < bounds.min || value > bounds.max) {
        throw new ApiFailure(
          400,
          11000,
          `settings.${key} must be a whole number from ${bounds.min} to ${bounds.max}`,
        );
      }
      return value;
    };
    const concurrency = given.max_concurrency;
    return {
      script,
      type: "worker" as const,
      dead_letter_queue: dlq,
      settings: {
        batch_size: setting("batch_size"),
        max_retries: setting("max_retries"),
        max_wait_time_ms: setting("max_wait_time_ms"),
        max_concurrency: typeof concurrency === "number" ? concurrency : null,
        retry_delay: setting("retry_delay"),
      },
    };
  }

  private require(id: string): StoredQueue {
    const queue = this.queues.get(id);
    if (!queue) throw new ApiFailure(404, 11000, "Queue does not exist");
    return queue;
  }

  private requireConsumer(queue: StoredQueue, consumerId: string): QueueConsumerObject {
    const consumer = queue.consumers.get(consumerId);
    if (!consumer) throw new ApiFailure(404, 11000, "Consumer does not exist");
    return consumer;
  }

  private view(queue: StoredQueue): QueueObject {
    const consumers = [...queue.consumers.values()].map((c) => ({ ...c }));
    const producers = this.producersOf(queue.name).map((script) => ({ type: "worker" as const, script }));
    return {
      queue_id: queue.id,
      queue_name: queue.name,
      created_on: queue.createdOn,
      modified_on: queue.modifiedOn,
      settings: { ...queue.settings },
      consumers,
      consumers_total_count: consumers.length,
      producers,
      producers_total_count: producers.length,
    };
  }
}

function validName(name: unknown): string {
  if (typeof name !== "string" || !QUEUE_NAME.test(name)) {
    throw new ApiFailure(
      400,
      11000,
      "queue_name must be 1 to 63 lowercase letters, digits and dashes, not starting or ending with a dash",
    );
  }
  return name;
}

function mergeSettings(base: QueueSettingsObject, given: unknown): QueueSettingsObject {
  if (given === undefined) return { ...base };
  if (typeof given !== "object" || given === null) {
    throw new ApiFailure(400, 11000, "settings must be an object");
  }
  const settings = { ...base };
  for (const [key, value] of Object.entries(given)) {
    if (!(key in DEFAULT_SETTINGS)) throw new ApiFailure(400, 11000, `unknown queue setting '${key}'`);
    const expected = typeof DEFAULT_SETTINGS[key as keyof QueueSettingsObject];
    if (typeof value !== expected) throw new ApiFailure(400, 11000, `settings.${key} must be a ${expected}`);
    Object.assign(settings, { [key]: value });
  }
  return settings;
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
