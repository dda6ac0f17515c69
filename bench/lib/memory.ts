/** Peak memory (VmHWM) of a program's process tree, read from /proc: the program itself and its workerd. */
import { readdir, readFile } from "node:fs/promises";

export interface TreeMemory {
  /** Peak resident set of the workerd processes under the program, MiB (summed). */
  workerdPeakMiB: number;
  /** Peak resident set of the program process itself (bun running Alchemy), MiB. */
  programPeakMiB: number;
  workerdCount: number;
}

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
}

async function listProcesses(): Promise<Proc[]> {
  const entries = await readdir("/proc");
  const procs: Proc[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => undefined);
    if (!stat) continue;
    // comm is parenthesised and may hold spaces; the fields after the last ')' are fixed.
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const ppid = Number(stat.slice(close + 2).split(" ")[1]);
    procs.push({ pid: Number(name), ppid, comm });
  }
  return procs;
}

async function statusMiB(pid: number, field: "VmHWM" | "VmRSS"): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kib = Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

const peakMiB = (pid: number) => statusMiB(pid, "VmHWM");

/** The workerd processes under a process, now: resident and peak MiB (summed). */
export async function workerdMemoryNow(rootPid: number): Promise<{ rssMiB: number; peakMiB: number }> {
  let rssMiB = 0;
  let peak = 0;
  for (const p of await workerdUnder(rootPid)) {
    rssMiB += await statusMiB(p.pid, "VmRSS");
    peak += await peakMiB(p.pid);
  }
  return { rssMiB, peakMiB: peak };
}

async function workerdUnder(rootPid: number): Promise<Proc[]> {
  const procs = await listProcesses();
  const children = new Map<number, Proc[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const descendants: Proc[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    for (const child of children.get(pid) ?? []) {
      descendants.push(child);
      queue.push(child.pid);
    }
  }
  return descendants.filter((p) => p.comm.startsWith("workerd"));
}

export async function treeMemory(rootPid: number): Promise<TreeMemory> {
  const workerd = await workerdUnder(rootPid);
  let workerdPeakMiB = 0;
  for (const p of workerd) workerdPeakMiB += await peakMiB(p.pid);
  return { workerdPeakMiB, programPeakMiB: await peakMiB(rootPid), workerdCount: workerd.length };
}
