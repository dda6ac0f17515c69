/**
 * oauthProvider seeds its resource rows in every new isolate (`resourceSeedMode: "overwrite"`,
 * index.ts): on the first request an isolate serves it reads each row, then UPDATEs every policy
 * column. On Cloudflare that write goes to the D1 primary, from every isolate, wherever it runs,
 * though the row almost always already says what the config says. Listed before oauthProvider,
 * this plugin makes the adapter skip an update of a resource row that the same request has just
 * read and that would change nothing but `updatedAt` (a write to the resources in between makes
 * that read stale, so it is forgotten). The config stays the source of truth: a row that differs
 * in anything (an admin's edit included) is overwritten as before.
 */
import type { DBAdapter, Where } from "@better-auth/core/db/adapter";
import type { BetterAuthOptions, BetterAuthPlugin } from "better-auth";
import { requestSlot } from "../../../middleware/request-state.ts";

type Adapter = DBAdapter<BetterAuthOptions>;
type Row = Record<string, unknown>;

const RESOURCE_MODEL = "oauthResource";

/** The resource rows this request read, by identifier. */
const reads = requestSlot<Map<string, Row>>("oauth resources read");

export function unchangedResourcesStay(): BetterAuthPlugin {
  return {
    id: "authform-unchanged-resources",
    init(ctx) {
      const adapter = ctx.adapter as Adapter;
      const findOne = adapter.findOne;
      const update = adapter.update;
      // Mutated in place, as atomic-writes.ts does: Better Auth keys its schema check on the object.
      // Every other call passes straight through (get-session's lookup among them): no extra await.
      adapter.findOne = ((args: Parameters<Adapter["findOne"]>[0]) => {
        const identifier = resourceIdentifier(args);
        if (identifier === undefined) return findOne(args);
        return findOne(args).then((row) => {
          if (row) reads.ensure(() => new Map())?.set(identifier, row as Row);
          return row;
        });
      }) as Adapter["findOne"];
      adapter.update = ((args: Parameters<Adapter["update"]>[0]) => {
        const identifier = resourceIdentifier(args);
        const row = identifier === undefined ? undefined : reads.get()?.get(identifier);
        if (row && changesNothing(row, args.update as Row)) return Promise.resolve(row);
        if (args.model === RESOURCE_MODEL) reads.get()?.clear();
        return update(args);
      }) as Adapter["update"];
      // Any other write to the resources makes what this request read stale: forget it.
      for (const method of ["create", "updateMany", "delete", "deleteMany"] as const) {
        const write = adapter[method] as (args: { model: string }) => Promise<unknown>;
        (adapter[method] as unknown) = (args: { model: string }) => {
          if (args.model === RESOURCE_MODEL) reads.get()?.clear();
          return write(args);
        };
      }
    },
  };
}

/** The identifier, when the call reads or writes one resource row by it; undefined otherwise. */
function resourceIdentifier(args: { model: string; where?: Where[] }): string | undefined {
  if (args.model !== RESOURCE_MODEL || args.where?.length !== 1) return undefined;
  const [where] = args.where as [Where];
  if (where.field !== "identifier" || typeof where.value !== "string") return undefined;
  if ((where.operator ?? "eq") !== "eq" || (where.mode ?? "sensitive") !== "sensitive") return undefined;
  return where.value;
}

/** Whether writing `update` over `row` would change anything but the time of the write. */
export function changesNothing(row: Row, update: Row): boolean {
  for (const [field, value] of Object.entries(update)) {
    if (field === "updatedAt") continue;
    if (!sameValue(row[field], value)) return false;
  }
  return true;
}

function sameValue(stored: unknown, wanted: unknown): boolean {
  if ((stored ?? null) === null || (wanted ?? null) === null) return (stored ?? null) === (wanted ?? null);
  if (stored instanceof Date || wanted instanceof Date)
    return new Date(stored as Date).getTime() === new Date(wanted as Date).getTime();
  if (typeof stored === "object" || typeof wanted === "object")
    return JSON.stringify(stored) === JSON.stringify(wanted);
  return stored === wanted;
}
