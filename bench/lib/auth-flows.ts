/**
 * Sign-up, sign-in and get-session on every running stack, interleaved request by request so machine
 * noise lands on all of them alike; then the same number of get-sessions under load on each stack
 * (what the memory target compares: the same work, where a timed load gives a faster stack more);
 * then get-session under bounded, timed load, one stack at a time.
 */
import { cookieHeader, expectOk, postJson, timed } from "./http.ts";
import { load, loadCount } from "./load.ts";
import { summarize } from "./stats.ts";
import type { Settings, StackResult } from "./types.ts";

export const PASSWORD = "correct horse battery staple";

/** A signed-in user on one stack: the cookie and (authform) the fast-path token from sign-in. */
export interface Credentials {
  email: string;
  cookie: string;
  bearer?: string;
}

/** Every stack in a different order each round, so none is always first. */
export function rotations<T>(items: T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

export async function measureAuthFlows(
  stacks: { result: StackResult; base: string }[],
  runId: string,
  settings: Settings,
  hooks: {
    /** Runs between the sequential requests and the load tests (memory snapshots). */
    beforeLoad?: () => Promise<void>;
    /** Runs right after a stack's same-work load, before the next stack's (its memory snapshot). */
    afterSameLoad?: (result: StackResult) => Promise<void>;
  } = {},
): Promise<Map<StackResult, Credentials>> {
  const email = (i: number) => `bench-${runId}-${i}@example.com`;
  const samples = new Map(
    stacks.map((s) => [s.result, { up: [] as number[], in: [] as number[], get: [] as number[] }]),
  );
  const creds = new Map<StackResult, Credentials>();

  for (const { base } of stacks) {
    for (let i = 0; i < 3; i++) expectOk(`${base} warm-up`, await timed(base, "/auth/v1/get-session"));
  }

  for (let i = 0; i < settings.authSamples; i++) {
    for (const { result, base } of rotations(stacks, i)) {
      const r = expectOk(
        `${result.spec.label} sign-up`,
        await postJson(base, "/auth/v1/sign-up/email", {
          email: email(i),
          password: PASSWORD,
          name: `Bench ${i}`,
        }),
      );
      samples.get(result)?.up.push(r.ms);
    }
  }
  for (let i = 0; i < settings.authSamples; i++) {
    for (const { result, base } of rotations(stacks, i)) {
      const r = expectOk(
        `${result.spec.label} sign-in`,
        await postJson(base, "/auth/v1/sign-in/email", { email: email(i), password: PASSWORD }),
      );
      samples.get(result)?.in.push(r.ms);
      const bearer = r.headers.get("set-auth-token") ?? undefined;
      creds.set(result, { email: email(i), cookie: cookieHeader(r.headers), ...(bearer ? { bearer } : {}) });
    }
  }

  for (const { result, base } of stacks) {
    const c = creds.get(result) as Credentials;
    const r = expectOk(
      `${result.spec.label} get-session`,
      await timed(base, "/auth/v1/get-session", { headers: { cookie: c.cookie } }),
    );
    if (!r.body.includes(c.email))
      throw new Error(`${result.spec.label}: get-session did not return the user: ${r.body}`);
  }
  for (let i = 0; i < settings.fastSamples; i++) {
    for (const { result, base } of rotations(stacks, i)) {
      const cookie = (creds.get(result) as Credentials).cookie;
      const r = expectOk(
        `${result.spec.label} get-session`,
        await timed(base, "/auth/v1/get-session", { headers: { cookie } }),
      );
      samples.get(result)?.get.push(r.ms);
    }
  }

  for (const { result } of stacks) {
    const s = samples.get(result);
    if (!s) continue;
    result.signUp = summarize(s.up);
    result.signIn = summarize(s.in);
    result.getSession = summarize(s.get);
  }

  await hooks.beforeLoad?.();
  for (const { result, base } of stacks) {
    const cookie = (creds.get(result) as Credentials).cookie;
    const r = await loadCount(
      `${base}/auth/v1/get-session`,
      { cookie },
      { connections: settings.connections, amount: settings.memoryRequests },
    );
    if (r.failures > 0)
      throw new Error(`${result.spec.label}: ${r.failures} of the same-work get-sessions failed`);
    await hooks.afterSameLoad?.(result);
  }
  for (let round = 0; round < settings.loadRounds; round++) {
    const order = round % 2 === 0 ? stacks : [...stacks].reverse();
    for (const { result, base } of order) {
      const cookie = (creds.get(result) as Credentials).cookie;
      result.getSessionLoad.push(
        await load(
          `${base}/auth/v1/get-session`,
          { cookie },
          { connections: settings.connections, seconds: settings.loadSeconds },
        ),
      );
    }
  }
  return creds;
}
