/** Checks `database.vars`: names, the formats of the vars authform reads, and secrets that must not be there. */
import * as z from "zod";
import { preview } from "./describe-value.ts";
import type { PathIssue } from "./messages.ts";
import { didYouMeanSuffix } from "./suggest.ts";

const VAR_NAME = /^[A-Z][A-Z0-9_]*$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const emailSchema = z.email();

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

const SECRET_FIX =
  "remove it from vars and put it in .env (or the deploy environment); authform sets it as a Worker secret";

/** Vars are plain text in the Worker, in Alchemy state and in `--plan` output: secrets go elsewhere. */
const SECRETS: Record<string, string> = {
  BETTER_AUTH_SECRET: `${SECRET_FIX}, or leave it unset and authform generates one per stage`,
  AWS_ACCESS_KEY_ID: SECRET_FIX,
  AWS_SECRET_ACCESS_KEY: SECRET_FIX,
  CLOUDFLARE_API_TOKEN: "remove it from vars and put it in .env or your CI secrets; only the deploy reads it",
  ALCHEMY_PASSWORD: "remove it from vars and put it in .env or your CI secrets; only the deploy reads it",
};

type VarCheck = (value: string, name: string) => Omit<PathIssue, "path"> | undefined;

function emailAddress(value: string, name: string): Omit<PathIssue, "path"> | undefined {
  if (emailSchema.safeParse(value).success) return undefined;
  const message = `expected an email address, got ${preview(value)}`;
  // "App <noreply@x>" is the header form; authform builds it from EMAIL_FROM_NAME + EMAIL_FROM.
  if (/<[^>]*@[^>]*>/.test(value)) {
    const fix =
      name === "EMAIL_FROM"
        ? "put only the address here and the name in EMAIL_FROM_NAME"
        : "put only the address here";
    return { message, fix };
  }
  return { message };
}

function absoluteUrl(value: string): Omit<PathIssue, "path"> | undefined {
  if (isHttpUrl(value)) return undefined;
  const message = `expected an absolute http(s) URL like "https://api.example.com", got ${preview(value)}`;
  return /^[\w.-]+\.[a-z]{2,}(\/.*)?$/i.test(value)
    ? { message, fix: `write https://${value}` }
    : { message };
}

function singleLine(value: string): Omit<PathIssue, "path"> | undefined {
  // A line break in a name that ends up in a mail header would let it inject headers.
  return /[\r\n]/.test(value) ? { message: `expected a single line, got ${preview(value)}` } : undefined;
}

/** Vars authform itself reads, and what each must look like. */
const KNOWN_VARS: Record<string, VarCheck> = {
  EMAIL_FROM: emailAddress,
  EMAIL_REPLY_TO: emailAddress,
  EMAIL_FROM_NAME: singleLine,
  APP_NAME: singleLine,
  APP_URL: absoluteUrl,
  BETTER_AUTH_URL: absoluteUrl,
  ACCOUNT_URL: absoluteUrl,
  AWS_SES_REGION: (value) =>
    AWS_REGION.test(value)
      ? undefined
      : { message: `expected an AWS region like "us-east-2", got ${preview(value)}` },
};

const KNOWN_NAMES = [...Object.keys(KNOWN_VARS), ...Object.keys(SECRETS)];

/** Every problem in a vars record; paths are the var names. Non-string values are zod's to report. */
export function checkVars(vars: Record<string, unknown>): PathIssue[] {
  const issues: PathIssue[] = [];
  for (const [name, value] of Object.entries(vars)) {
    const fix = SECRETS[name];
    if (fix !== undefined) {
      // Never echo the value: it is a secret.
      issues.push({
        path: [name],
        message: "is a secret and must not be in vars (they are plain text)",
        fix,
      });
      continue;
    }
    if (!VAR_NAME.test(name)) {
      const guess = didYouMeanSuffix(name, KNOWN_NAMES);
      issues.push({
        path: [name],
        message: `expected an UPPER_SNAKE_CASE var name, got ${preview(name)}${guess}`,
      });
      continue;
    }
    const check = KNOWN_VARS[name];
    const problem = typeof value === "string" && check ? check(value, name) : undefined;
    if (problem) issues.push({ path: [name], ...problem });
  }
  return issues;
}
