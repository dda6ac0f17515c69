/**
 * V8 heap snapshots through the inspector, summarised by constructor: how many objects of each
 * kind the heap holds and their own (shallow) bytes, so two snapshots can be compared.
 */
import { writeFile } from "node:fs/promises";
import type { Inspector } from "./inspector.ts";

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapGroup {
  count: number;
  bytes: number;
}

/** Group key → objects and shallow bytes. Strings and code are grouped by kind, objects by constructor. */
export type HeapSummary = Map<string, HeapGroup>;

/** Node kinds whose name is their content (a string's text, a code object's source), not a constructor. */
const BY_KIND_ONLY = new Set(["string", "concatenated string", "sliced string", "code", "number", "bigint"]);

/** Takes a snapshot (V8 collects garbage first) and summarises it; `saveAs` keeps the raw one for DevTools. */
export async function heapSummary(cdp: Inspector, saveAs?: string): Promise<HeapSummary> {
  await cdp.send("HeapProfiler.enable");
  const chunks: string[] = [];
  const stop = cdp.on("HeapProfiler.addHeapSnapshotChunk", (params) => chunks.push(String(params.chunk)));
  try {
    await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  } finally {
    stop();
  }
  const text = chunks.join("");
  if (saveAs) await writeFile(saveAs, text);
  return summarise(JSON.parse(text) as RawSnapshot);
}

function summarise(raw: RawSnapshot): HeapSummary {
  const fields = raw.snapshot.meta.node_fields;
  const types = raw.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const summary: HeapSummary = new Map();
  for (let i = 0; i < raw.nodes.length; i += width) {
    const type = types[raw.nodes[i + typeAt] as number] ?? "?";
    const name = raw.strings[raw.nodes[i + nameAt] as number] ?? "?";
    const key = BY_KIND_ONLY.has(type) ? `(${type})` : `${type} ${name.slice(0, 80)}`;
    const group = summary.get(key) ?? { count: 0, bytes: 0 };
    group.count++;
    group.bytes += raw.nodes[i + sizeAt] as number;
    summary.set(key, group);
  }
  return summary;
}

export function totalBytes(summary: HeapSummary): number {
  let bytes = 0;
  for (const group of summary.values()) bytes += group.bytes;
  return bytes;
}

/** The groups that grew most in bytes from `before` to `after`, with their count change. */
export function growth(before: HeapSummary, after: HeapSummary, top: number) {
  const rows: { key: string; count: number; bytes: number }[] = [];
  for (const [key, group] of after) {
    const was = before.get(key) ?? { count: 0, bytes: 0 };
    rows.push({ key, count: group.count - was.count, bytes: group.bytes - was.bytes });
  }
  return rows.sort((a, b) => b.bytes - a.bytes).slice(0, top);
}
