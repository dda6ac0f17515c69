/** A bounded number of calls in flight; the rest wait their turn, first come first served. */

export interface AdmissionGate {
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

  return {
    async run(call, signal) {
      await enter(signal);
      try {
        return await call();
      } finally {
        release();
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
