/** A V8 CPU profile (the inspector's Profiler domain) as tables: self time by package and function, inclusive time by function. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { SourceMapConsumer } from "source-map-js";
import type { BundleInfo } from "./bundle.ts";

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** ms per key, summed over every profile given. */
export interface ProfileTotals {
  total: number;
  byPackage: Map<string, number>;
  byFunction: Map<string, number>;
  inclusive: Map<string, number>;
}

export function emptyTotals(): ProfileTotals {
  return { total: 0, byPackage: new Map(), byFunction: new Map(), inclusive: new Map() };
}

/** The bundle's source maps, by file name (what a frame's url ends with). */
export async function sourceMaps(bundle: BundleInfo): Promise<Map<string, SourceMapConsumer>> {
  const maps = new Map<string, SourceMapConsumer>();
  for (const f of bundle.files) {
    const map = await readFile(path.join(bundle.dir, `${f}.map`), "utf8").catch(() => undefined);
    if (map) maps.set(f, new SourceMapConsumer(JSON.parse(map)));
  }
  return maps;
}

/** Self time (ms) per node, from the sample stream. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return self;
}

function packageOf(source: string): string {
  const parts = source.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at === -1) return source.includes("/worker/") || source.startsWith("worker/") ? "(own) worker" : source;
  const first = parts[at + 1] as string;
  // drizzle-orm's own source maps point one folder above the package (node_modules/src/…).
  if (first === "src") return "drizzle-orm";
  return first.startsWith("@") ? `${first}/${parts[at + 2]}` : first;
}

/** A frame's function and original source position (through the bundle's source maps), and its package. */
function describer(maps: Map<string, SourceMapConsumer>) {
  return (node: ProfileNode) => {
    const frame = node.callFrame;
    let where = frame.url ? path.basename(frame.url) : frame.functionName || "(native)";
    let name = frame.functionName || "(anonymous)";
    const map = maps.get(path.basename(frame.url));
    // A module's own evaluation has no line (-1): it keeps the file's name.
    if (map && frame.lineNumber >= 0) {
      const original = map.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber });
      if (original.source) {
        where = `${original.source.replace(/^(\.\.\/)+/, "")}:${original.line}`;
        name = original.name ?? name;
      }
    } else if (frame.url) {
      where = `${path.basename(frame.url)}:${frame.lineNumber + 1}`;
    }
    const pkg = frame.url
      ? packageOf(where)
      : frame.functionName.startsWith("(")
        ? frame.functionName
        : "(V8 / runtime)";
    return { key: `${name} — ${where}`, pkg };
  };
}

/** Adds one profile's times into `into` (names and files through the bundle's source maps). */
export function addProfile(into: ProfileTotals, profile: CpuProfile, maps: Map<string, SourceMapConsumer>) {
  const self = selfTimes(profile);
  const describe = describer(maps);
  const add = (m: Map<string, number>, k: string, t: number) => m.set(k, (m.get(k) ?? 0) + t);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const node of profile.nodes) {
    const t = self.get(node.id) ?? 0;
    if (t === 0) continue;
    into.total += t;
    const { key, pkg } = describe(node);
    add(into.byPackage, pkg, t);
    add(into.byFunction, key, t);
  }
  // Inclusive time (self + callees) per function, counted once per call stack (recursion aside).
  const walk = (id: number, open: Set<string>): number => {
    const node = byId.get(id) as ProfileNode;
    const { key } = describe(node);
    const nested = open.has(key);
    if (!nested) open.add(key);
    let t = self.get(id) ?? 0;
    for (const child of node.children ?? []) t += walk(child, open);
    if (!nested) {
      open.delete(key);
      add(into.inclusive, key, t);
    }
    return t;
  };
  walk(profile.nodes[0]?.id as number, new Set());
}

/** Markdown tables of the totals, each divided by `per` (requests, or rounds). */
export function profileTables(totals: ProfileTotals, per: number, unit: string): string[] {
  const rows = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, v]) =>
          `| ${k.replaceAll("|", "\\|")} | ${(v / per).toFixed(3)} | ${((100 * v) / totals.total).toFixed(1)}% |`,
      );
  return [
    `| package | ms per ${unit} | share |`,
    "|---|---|---|",
    ...rows(totals.byPackage, 12),
    "",
    `| function — where | ms per ${unit} | share |`,
    "|---|---|---|",
    ...rows(totals.byFunction, 20),
    "",
    "Inclusive (the function and what it calls):",
    "",
    `| function — where | ms per ${unit} | share |`,
    "|---|---|---|",
    ...rows(totals.inclusive, Number(process.env.PROFILE_ROWS ?? 30)),
    "",
  ];
}

/**
 * Inclusive ms under the outermost frames whose key contains `focus`, by call path below them
 * (`depth` levels, " > "-joined): where a hot function's time goes.
 */
export function addCallees(
  into: Map<string, number>,
  profile: CpuProfile,
  maps: Map<string, SourceMapConsumer>,
  focus: string,
  depth: number,
) {
  const self = selfTimes(profile);
  const describe = describer(maps);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inclusive = (id: number): number => {
    const node = byId.get(id) as ProfileNode;
    return (self.get(id) ?? 0) + (node.children ?? []).reduce((t, c) => t + inclusive(c), 0);
  };
  const below = (id: number, trail: string[]) => {
    if (trail.length > depth) return;
    const t = inclusive(id);
    const key = trail.join(" > ");
    into.set(key, (into.get(key) ?? 0) + t);
    for (const child of byId.get(id)?.children ?? [])
      below(child, [...trail, describe(byId.get(child) as ProfileNode).key]);
  };
  const find = (id: number) => {
    const node = byId.get(id) as ProfileNode;
    const { key } = describe(node);
    if (key.includes(focus)) below(id, [key]);
    else for (const child of node.children ?? []) find(child);
  };
  find(profile.nodes[0]?.id as number);
}
