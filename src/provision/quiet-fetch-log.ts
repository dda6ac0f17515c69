/**
 * Alchemy 0.94's safeFetch logs every failed fetch with `console.log("err", error)` — a code
 * frame and a 15-line stack before its own error is thrown. The deploy explains the failure
 * itself (explain-deploy-failure.ts), so that log is dropped, unless DEBUG asks for everything.
 */
export function quietAlchemyFetchLog(env: Record<string, string | undefined>): void {
  if (env.DEBUG) return;
  const log = console.log;
  console.log = (...args: unknown[]) => {
    if (args.length === 2 && args[0] === "err" && args[1] instanceof Error) return;
    log(...args);
  };
}
