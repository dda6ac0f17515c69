/**
 * One request state for every per-request slot (worker/middleware/request-state.ts): each slot
 * sees its own request's value, never another's, even with requests in flight at once, and
 * nothing outside a request.
 */
import { describe, expect, it } from "vitest";
import { requestSlot } from "../../worker/middleware/request-state.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("request slots", () => {
  it("hold nothing outside a request, and their value inside it", async () => {
    const slot = requestSlot<string>("a");
    expect(slot.get()).toBeUndefined();
    const seen = await slot.run("inside", async () => {
      await tick();
      return slot.get();
    });
    expect(seen).toBe("inside");
    expect(slot.get()).toBeUndefined();
  });

  it("a slot filled inside another's run shares its request, and ends with it", async () => {
    const outer = requestSlot<number>("outer");
    const inner = requestSlot<number>("inner");
    const seen = await outer.run(1, async () => {
      const inside = await inner.run(2, async () => {
        await tick();
        return [outer.get(), inner.get()];
      });
      // Still this request's after the inner layer returned (the layers share one state).
      return [...inside, inner.get()];
    });
    expect(seen).toEqual([1, 2, 2]);
    expect([outer.get(), inner.get()]).toEqual([undefined, undefined]);
  });

  it("requests in flight at once each see only their own values", async () => {
    const outer = requestSlot<number>("outer");
    const inner = requestSlot<string>("inner");
    const request = (n: number) =>
      outer.run(n, async () => {
        await tick();
        return inner.run(`r${n}`, async () => {
          for (let i = 0; i < 3; i++) await tick();
          return `${outer.get()}:${inner.get()}`;
        });
      });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, n) => request(n)));
    expect(answers).toEqual(Array.from({ length: 50 }, (_, n) => `${n}:r${n}`));
  });

  it("ensure makes a request's value once, and nothing outside a request", async () => {
    const outer = requestSlot<number>("outer");
    const memo = requestSlot<string[]>("memo");
    expect(memo.ensure(() => [])).toBeUndefined();
    const seen = await outer.run(1, async () => {
      memo.ensure(() => [])?.push("a");
      await tick();
      memo.ensure(() => ["never"])?.push("b");
      return memo.get();
    });
    expect(seen).toEqual(["a", "b"]);
    const other = await outer.run(2, async () => memo.ensure(() => []));
    expect(other).toEqual([]);
  });
});
