/**
 * Preloaded (`BUN_OPTIONS="--preload …"`) into a deploy that a test has set to meet a server error on
 * every attempt. Alchemy 0.94 waits 1, 2, 4, 8, then 10 s between its 10 attempts (hard-coded in
 * alchemy/lib/util/retry.js): ≈ 65 s the test would spend waiting. Here every timer of a second or
 * more fires 100 times sooner. The attempts, their number and the message are Alchemy's and
 * authform's as ever; only the waits shrink (src/ sets no timers of its own).
 */
const setTimeoutAsIs = globalThis.setTimeout;

globalThis.setTimeout = ((handler: TimerHandler, ms?: number, ...args: unknown[]) =>
  setTimeoutAsIs(
    handler,
    typeof ms === "number" && ms >= 1000 ? ms / 100 : ms,
    ...args,
  )) as typeof setTimeout;
