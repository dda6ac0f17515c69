/** Turns zod's issues into ConfigIssues a person can act on: the path as written, expected vs got, the fix. */
import * as z from "zod";
import { PLUGIN_NAMES } from "../contract/plugins.ts";
import { oneOf, preview } from "./describe-value.ts";
import type { ConfigIssue } from "./errors.ts";
import { didYouMean, didYouMeanSuffix } from "./suggest.ts";

type RawIssue = z.core.$ZodRawIssue;

/** A problem found by one of our own checks, with its path relative to the schema that ran the check. */
export interface PathIssue {
  path: (string | number)[];
  message: string;
  fix?: string;
}

/** Reports our own checks' findings through zod, keeping the fix for the ConfigIssue. */
export function report(ctx: z.core.$RefinementCtx, issues: readonly PathIssue[]): void {
  for (const { path, message, fix } of issues) {
    ctx.addIssue({
      code: "custom",
      path,
      message,
      input: undefined,
      params: fix === undefined ? {} : { fix },
    });
  }
}

const TYPE_NOUNS: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "an object",
  array: "an array",
  record: "an object",
  undefined: "nothing",
};

function typeNoun(expected: string): string {
  return TYPE_NOUNS[expected] ?? expected;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Names people reach for that no edit distance finds: Better Auth's deprecated mcp plugin became oauthProvider. */
const PLUGIN_ALIASES: Record<string, string> = { mcp: "oauthProvider", oidcprovider: "oauthProvider" };

/** `unknown plugin "pass-key" (did you mean "passkey"?)`, with a hint for the one non-plugin people try. */
export function unknownPlugin(name: unknown): string {
  if (typeof name !== "string") return `expected a plugin name, got ${preview(name)}`;
  if (name === "emailAndPassword") {
    return `"emailAndPassword" is not a plugin: set emailAndPassword: { enabled: true } beside plugins`;
  }
  const guess = PLUGIN_ALIASES[name.toLowerCase()] ?? didYouMean(name, PLUGIN_NAMES);
  return guess === undefined
    ? `unknown plugin ${preview(name)} (expected one of: ${PLUGIN_NAMES.join(", ")})`
    : `unknown plugin ${preview(name)} (did you mean "${guess}"?)`;
}

/** Unknown keys of a strict object, each with its best guess among the keys it allows. */
function unknownKeys(keys: readonly string[], known: readonly string[]): string {
  const shown = keys.map((k) => `${preview(k)}${didYouMeanSuffix(k, known)}`).join(", ");
  const anyGuess = keys.some((k) => didYouMean(k, known) !== undefined);
  const allowed =
    known.length === 0
      ? " (nothing is accepted here yet)"
      : anyGuess
        ? ""
        : ` (expected one of: ${known.join(", ")})`;
  return `unknown ${keys.length === 1 ? "key" : "keys"} ${shown}${allowed}`;
}

/** For objects that accept no keys yet: name every key given, and say what to write instead. */
export function noOptions(what: string, instead = "") {
  return (iss: RawIssue) =>
    iss.code === "unrecognized_keys"
      ? `unknown ${iss.keys.length === 1 ? "option" : "options"} ${iss.keys.map(preview).join(", ")} (${what} takes no options yet${instead})`
      : undefined;
}

function shapeKeys(inst: RawIssue["inst"]): string[] {
  return inst instanceof z.ZodObject ? Object.keys(inst.shape) : [];
}

function sizeMessage(issue: RawIssue & { code: "too_small" | "too_big" }): string {
  const limit = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
  const bound = issue.code === "too_small" ? "at least" : "at most";
  const got = preview(issue.input);
  switch (issue.origin) {
    case "string":
      return limit === 1 && issue.code === "too_small"
        ? `expected a non-empty string, got ${got}`
        : `expected ${bound} ${plural(limit, "character")}, got ${got}`;
    case "array":
      return `expected ${bound} ${plural(limit, "item")}, got ${got}`;
    default:
      return issue.inclusive === false
        ? `expected a number ${issue.code === "too_small" ? "above" : "below"} ${limit}, got ${got}`
        : `expected ${bound} ${limit}, got ${got}`;
  }
}

/**
 * The per-parse error map: zod's defaults ("Invalid input: expected string, received undefined")
 * rewritten as "expected a string, got nothing". Schemas with their own `error` take precedence.
 */
export const humanize: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? `is required (expected ${typeNoun(issue.expected)})`
        : `expected ${typeNoun(issue.expected)}, got ${preview(issue.input)}`;
    case "invalid_value": {
      const strings = issue.values.filter((v): v is string => typeof v === "string");
      const guess = typeof issue.input === "string" ? didYouMeanSuffix(issue.input, strings) : "";
      return `expected ${oneOf(issue.values)}, got ${preview(issue.input)}${guess}`;
    }
    case "too_small":
    case "too_big":
      return sizeMessage(issue);
    case "invalid_format":
      return `expected ${issue.format === "regex" ? "a different format" : `a valid ${issue.format}`}, got ${preview(issue.input)}`;
    case "unrecognized_keys":
      return unknownKeys(issue.keys, shapeKeys(issue.inst));
    case "invalid_union":
      return `expected one of several forms, got ${preview(issue.input)}`;
    default:
      return `is not valid, got ${preview(issue.input)}`;
  }
};

/** `providers.auth.plugins[2]`: the path as the user wrote it, without the `options` wrapper define* adds. */
export function formatPath(path: readonly PropertyKey[]): string {
  const segments = [...path];
  // defineAuth("better-auth", {...}) stores options under `options`; the user never typed that key.
  if (segments[0] === "providers" && ["options", "kind", "provider"].includes(String(segments[2]))) {
    segments.splice(2, 1);
  }
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(segment)))
      out += out === "" ? String(segment) : `.${String(segment)}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** Whether a union branch failed only because the value was not its type at all. */
function isWrongBranch(branch: readonly z.core.$ZodIssue[]): boolean {
  return branch.length === 1 && branch[0]?.code === "invalid_type" && branch[0].path.length === 0;
}

function collect(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[],
  out: ConfigIssue[],
): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union") {
      // A union whose other branches only say "wrong type" failed inside the one that fits: report that.
      const fitting = issue.errors.filter((branch) => !isWrongBranch(branch));
      if (fitting.length === 1 && fitting[0]) {
        collect(fitting[0], path, out);
        continue;
      }
    }
    const fix = issue.code === "custom" ? issue.params?.fix : undefined;
    const found: ConfigIssue = { path: formatPath(path), message: issue.message };
    if (typeof fix === "string") found.fix = fix;
    if (!out.some((o) => o.path === found.path && o.message === found.message)) out.push(found);
  }
}

/** Every zod issue as a ConfigIssue, in the order zod found them. */
export function toConfigIssues(error: z.ZodError): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  collect(error.issues, [], out);
  return out;
}
