/** What the benchmark measures per stack, and the run-wide settings. */

import type { AccountSize } from "./account-size.ts";
import type { BundleInfo } from "./bundle.ts";
import type { ClientSize } from "./client-size.ts";
import type { ColdStartSample } from "./cold-start.ts";
import type { D1Statements } from "./d1-statements.ts";
import type { HashTimes } from "./hash-probe.ts";
import type { LoadResult } from "./load.ts";
import type { TreeMemory } from "./memory.ts";
import type { ProgramSpec } from "./programs.ts";
import type { Summary } from "./stats.ts";

export interface Settings {
  /** Sequential sign-ups and sign-ins per stack. */
  authSamples: number;
  /** Sequential get-session and /api/v1 requests per stack and route. */
  fastSamples: number;
  /** autocannon: connections and seconds per target per round, and rounds. */
  connections: number;
  loadSeconds: number;
  loadRounds: number;
  /** get-sessions per stack in the same-work load the memory target reads (a count, not a time). */
  memoryRequests: number;
  /** Cold starts per bundle. */
  coldStarts: number;
  /** Unchanged re-runs per program (the last one stays up for the HTTP measures). */
  reruns: number;
}

export interface DeployTimes {
  firstMs: number;
  rerunMs: number[];
  /** Per re-run: whether it bundled again (the bundle file was rewritten). */
  rerunRebuilt: boolean[];
  /** Phases of the last re-run: ms since spawn when Alchemy started, the Worker was ready, serving. */
  rerunPhases: { alchemyMs: number; workerReadyMs: number; servingMs: number };
}

export type ApiRoute = "no-op GET /" | "me: JWT" | "me: cookie" | "me: API key";

export interface StackResult {
  spec: ProgramSpec;
  kind: "authform" | "peer";
  /** Plugins enabled (authform: the plan's; peer: what its worker.ts declares). */
  plugins: string[];
  bundle?: BundleInfo;
  deploy?: DeployTimes;
  coldStart: ColdStartSample[];
  /** The same bundle minified, cold-started the same way (what minifying would buy). */
  coldStartMinified: ColdStartSample[];
  signUp?: Summary;
  signIn?: Summary;
  getSession?: Summary;
  getSessionLoad: LoadResult[];
  api: Partial<Record<ApiRoute, { latency: Summary; load?: LoadResult; note?: string }>>;
  /** D1 statements per request, route by route (authform stacks with counting on). */
  d1Statements?: D1Statements;
  /** Right after the stack came up, before any request. */
  memoryIdle?: TreeMemory;
  /** After the sequential sign-ups, sign-ins and get-sessions, before any load test. */
  memorySequential?: TreeMemory;
  /** After the same number of get-sessions under load on every stack (before the timed load tests). */
  memorySameLoad?: TreeMemory;
  /** After the get-session load test too, before the /api/v1 loads only authform stacks get. */
  memoryGetSessionLoad?: TreeMemory;
  /** After all the HTTP measures, load tests included (peak over the whole run). */
  memory?: TreeMemory;
}

export interface RunResult {
  date: string;
  command: string;
  machine: string;
  /** 1-minute load average when the run started and when it ended (2 cores: above ~2 means other work). */
  load: { start: string; end: string };
  settings: Settings;
  stacks: StackResult[];
  baselineColdStart: ColdStartSample[];
  hashing?: HashTimes;
  /** The config key under auth.emailAndPassword that selects a hashing profile, if authform has one. */
  hashingOption?: string;
  /** `authform/client` bundled for a browser with the full config (issue 25). */
  clientSize?: ClientSize;
  /** The Account SPA's files as served, raw and gzip. */
  accountSize?: AccountSize;
  /** Why a stack or measure is missing (e.g. plugin modules not written yet). */
  notes: string[];
  durationS: number;
}
