/**
 * A test-only fault: AUTHFORM_TEST_STALL_STATE_WRITE=<key>:<status> makes the file store stop halfway
 * through writing that resource's state, say so on stderr, and wait to be killed. It lets
 * test/deploy/faults.test.ts SIGKILL a run during a write every time, not only when a race allows.
 */
import type { AtomicWriteHooks } from "./atomic-file.ts";

export const STALL_STATE_WRITE_VAR = "AUTHFORM_TEST_STALL_STATE_WRITE";

/** What the run prints once it has stalled: the test's signal to kill it. */
export const STALLED_MARKER = "authform test fault: stalled writing state";

export function stateWriteFault(
  env: Record<string, string | undefined>,
): ((key: string, status: string) => AtomicWriteHooks) | undefined {
  const target = env[STALL_STATE_WRITE_VAR]?.trim();
  if (!target) return undefined;
  return (key, status) =>
    `${key}:${status}` !== target
      ? {}
      : {
          midWrite: () => {
            process.stderr.write(`${STALLED_MARKER} ${target}\n`);
            // Never resolves; the interval keeps the process alive until it is killed.
            return new Promise<void>(() => setInterval(() => undefined, 60_000));
          },
        };
}
