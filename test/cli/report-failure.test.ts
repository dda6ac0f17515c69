/** What a failed run prints: a message a person can act on, with no stack trace, unless the failure is a bug. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { reportFailure } from "../../src/cli/report-failure.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { chooseStateStoreKind } from "../../src/provision/state-store.ts";

function printed(err: unknown): string {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    lines.push(args.join(" "));
  });
  expect(reportFailure(err)).toBe(1);
  spy.mockRestore();
  return lines.join("\n");
}

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

afterEach(() => vi.restoreAllMocks());

describe("reportFailure", () => {
  it("a bad config: the problems, that nothing was provisioned, no stack", () => {
    const text = printed(thrownBy(() => parseConfig({ name: "Bad Name!" })));
    expect(text).toContain("Invalid auth config");
    expect(text).toContain("Nothing was provisioned.");
    expect(text).not.toMatch(/\n\s+at /);
  });

  it("a state store that cannot work: its message once, no stack", () => {
    const err = thrownBy(() => chooseStateStoreKind({ AUTHFORM_STATE_STORE: "ftp" }, "deploy"));
    const text = printed(err);
    expect(text).toContain('AUTHFORM_STATE_STORE is "ftp"');
    expect(text.match(/Nothing was provisioned/g)).toHaveLength(1);
    expect(text).not.toMatch(/\n\s+at /);
  });

  it("anything else is a bug: printed with its stack", () => {
    expect(printed(new TypeError("x is undefined"))).toMatch(/TypeError: x is undefined\n\s+at /);
  });
});
