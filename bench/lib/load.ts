/** Bounded load on loopback with autocannon: fixed connections, for a fixed time or a fixed number of requests, one target at a time. */
import autocannon from "autocannon";

export interface LoadResult {
  requestsPerSecond: number;
  /** autocannon's latency percentiles (ms, whole-millisecond resolution). */
  p50Ms: number;
  p99Ms: number;
  total: number;
  /** Non-2xx responses, errors and timeouts: any of these makes the run suspect. */
  failures: number;
}

export function load(
  url: string,
  headers: Record<string, string>,
  { connections = 10, seconds = 6 }: { connections?: number; seconds?: number } = {},
): Promise<LoadResult> {
  return run(url, { url, headers, connections, duration: seconds, timeout: 10 });
}

/** A fixed number of requests (not a fixed time), so every stack does the same work: for memory. */
export function loadCount(
  url: string,
  headers: Record<string, string>,
  { connections, amount }: { connections: number; amount: number },
): Promise<LoadResult> {
  return run(url, { url, headers, connections, amount, timeout: 10 });
}

async function run(url: string, options: Parameters<typeof autocannon>[0]): Promise<LoadResult> {
  if (!/^http:\/\/(localhost|127\.0\.0\.1)[:/]/.test(url))
    throw new Error(`refusing non-loopback target ${url}`);
  const r = await autocannon(options);
  return {
    requestsPerSecond: r.requests.total / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    total: r.requests.total,
    failures: r.non2xx + r.errors + r.timeouts,
  };
}
