/** A bounded number of calls in flight; the rest wait their turn, first come first served. */

export interface AdmissionGate {
  /**
   * Waits for a place and resolves with the function that gives it back (calling it twice gives it
   * back once). A caller still waiting when `signal` aborts leaves the queue and rejects with the
   * signal's reason, holding nothing.
   */
  acquire(signal?: AbortSignal | null): Promise<() => void>;
  /**
   * Runs `call` once a place is free, and holds the place until the promise it returns settles.
   * A call that fails is not run again: the caller cannot know how far it got. A call still waiting
   * when `signal` aborts leaves the queue and rejects with the signal's reason, never having run.
   */
  run<T>(call: () => Promise<T>, signal?: AbortSignal | null): Promise<T>;
  readonly inFlight: number;
  readonly waiting: number;
}

interface Waiter {
  admit: () => void;
}

export function createAdmissionGate(limit: number): AdmissionGate {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`admission limit must be a whole number ≥ 1, got ${limit}`);
  let inFlight = 0;
  const queue: Waiter[] = [];

  const release = () => {
    inFlight--;
    const next = queue.shift();
    if (next) next.admit();
  };

  const enter = (signal?: AbortSignal | null): Promise<void> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (inFlight < limit && queue.length === 0) {
      inFlight++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = queue.indexOf(waiter);
        if (at !== -1) queue.splice(at, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        admit: () => {
          signal?.removeEventListener("abort", onAbort);
          inFlight++;
          resolve();
        },
      };
      queue.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  };

  const acquire = async (signal?: AbortSignal | null) => {
    await enter(signal);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      release();
    };
  };

  return {
    acquire,
    async run(call, signal) {
      const giveBack = await acquire(signal);
      try {
        return await call();
      } finally {
        giveBack();
      }
    },
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return queue.length;
    },
  };
}
