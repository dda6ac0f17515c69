/** The machine line of RESULTS.md: cores, CPU model, Node, Bun, workerd and the libraries under test. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { BUN, ROOT } from "./programs.ts";

function version(pkg: string): string {
  const file = path.join(ROOT, "node_modules", pkg, "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

export function machineLine(): string {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown CPU";
  const memKiB = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync("/proc/meminfo", "utf8"))?.[1] ?? 0);
  return [
    `${run("nproc", [])} cores (nproc)`,
    model,
    `${Math.round(memKiB / 1024 / 1024)} GiB RAM`,
    `node ${run("node", ["--version"])}`,
    `bun ${run(BUN, ["--version"])}`,
    `workerd ${version("workerd")}`,
    `miniflare ${version("miniflare")}`,
    `alchemy ${version("alchemy")}`,
    `better-auth ${version("better-auth")}`,
    `autocannon ${version("autocannon")}`,
  ].join(" · ");
}

/** The 1-minute load average: other work on a shared machine shows up here, and in the noise. */
export function loadAverage(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ")[0] ?? "?";
}
