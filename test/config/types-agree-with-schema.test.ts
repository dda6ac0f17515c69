/**
 * config/types.ts (what a person's editor shows) and the zod schema (what parsing accepts) must
 * describe the same options. Checked by the type checker (`npx tsc -p .`, CI's typecheck step): a
 * field added, removed or retyped on one side only makes this file fail to compile.
 */
import { describe, expectTypeOf, it } from "vitest";
import type * as z from "zod";
import type { configSchema } from "../../src/config/schema.ts";
import type {
  AuthOptionsInput,
  DatabaseOptionsInput,
  RuntimeOptionsInput,
  StorageOptionsInput,
} from "../../src/config/types.ts";

type Providers = (typeof configSchema)["shape"]["providers"]["shape"];
/** The options a `providers.<kind>` entry's schema accepts, as written (before defaults). */
type OptionsInput<S> =
  S extends z.ZodOptional<infer P>
    ? OptionsInput<P>
    : S extends z.ZodPipe<z.ZodType, infer O>
      ? O extends z.ZodObject<infer Shape>
        ? Shape extends { options: infer Opt extends z.ZodType }
          ? NonNullable<z.input<Opt>>
          : never
        : never
      : never;

describe("config/types.ts agrees with the zod schema", () => {
  it("runtime", () => {
    expectTypeOf<RuntimeOptionsInput>().toEqualTypeOf<OptionsInput<Providers["runtime"]>>();
  });
  it("database", () => {
    expectTypeOf<DatabaseOptionsInput>().toEqualTypeOf<OptionsInput<Providers["database"]>>();
  });
  it("auth", () => {
    expectTypeOf<AuthOptionsInput>().toEqualTypeOf<OptionsInput<Providers["auth"]>>();
  });
  it("storage", () => {
    expectTypeOf<StorageOptionsInput>().toEqualTypeOf<OptionsInput<Providers["storage"]>>();
  });
});
