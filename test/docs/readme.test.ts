/** README.md is a test: its quick start runs as written, its examples answer as promised, its flags and paths exist. */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify, stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOutbox } from "../../src/cli/outbox.ts";
import type { StackOutputs } from "../../src/cli/outputs.ts";
import { isPortFree } from "../../src/cli/port.ts";
import { waitForEmail } from "../support/outbox.ts";
import { localEnv, type ServingProgram, startServing } from "../support/program-process.ts";
import { ROOT, runProgram, uniqueStage } from "../support/stack.ts";
import { codeBlocks, inlineCode, parseCurl, section, shellWords, withoutComment } from "./readme-markdown.ts";

const run = promisify(execFile);
const README = await readFile(path.join(ROOT, "README.md"), "utf8");
const quickStart = section(README, "Quick start");
/** The host the README's examples talk to; the test rewrites only this to its own stack's. */
const README_ORIGIN = "http://localhost:1337";
/** The stage the README's sample summary shows. */
const README_STAGE = "alice";

const stage = uniqueStage("readme");
let program: ServingProgram | undefined;
let outputs: StackOutputs;
let printed: string;

function firstQuickStartCommand(): string {
  const block = codeBlocks(quickStart)[0];
  if (!block) throw new Error("the quick start has no code block");
  return withoutComment(block.body.split("\n")[0] as string);
}

/** The README's example, pointed at the running stack. */
function local(text: string): string {
  return text.replaceAll(README_ORIGIN, outputs.url);
}

beforeAll(async () => {
  // `npm ci` already ran for this checkout; the test runs the rest of the line exactly as written.
  const [install, ...rest] = firstQuickStartCommand().split(" && ");
  expect(install).toBe("npm ci");
  program = await startServing(shellWords(rest.join(" && ")), { env: localEnv({ STAGE: stage }) });
  outputs = JSON.parse(await readFile(path.join(ROOT, ".authform", `${stage}.json`), "utf8")) as StackOutputs;
  printed = stripVTControlCharacters(program.output());
});

afterAll(async () => {
  await program?.stop();
  await runProgram(["--destroy", "--stage", stage]);
});

describe("the quick start", () => {
  it("starts with `npm ci && npx bun alchemy.run.ts`", () => {
    expect(firstQuickStartCommand()).toBe("npm ci && npx bun alchemy.run.ts");
  });

  it("runs the repo's default quickback.config.ts, which has the shape the config section shows", async () => {
    const config = await readFile(path.join(ROOT, "quickback.config.ts"), "utf8");
    const sample = codeBlocks(section(README, "The config")).find((b) => b.lang === "ts");
    if (!sample) throw new Error('"The config" has no ts sample');
    const importLine = (source: string) => source.split("\n").find((l) => l.startsWith("import "));
    // "a Quickback config works unchanged except for its import line": the same line in both.
    expect(importLine(sample.body)).toMatch(/from "authform";$/);
    expect(importLine(config)).toBe(importLine(sample.body));
    for (const call of sample.body.matchAll(/\b(define\w+)\("([^"]+)"/g)) {
      expect(config, `${call[1]}("${call[2]}")`).toContain(`${call[1]}("${call[2]}"`);
    }
    expect(config).toMatch(/\bname: "authform"/);
    expect(outputs).toMatchObject({ app: "authform", stage, mode: "local" });
  });

  it("prints the summary the README shows, with values from .authform/<stage>.json", async () => {
    const sample = codeBlocks(quickStart)[1];
    if (!sample) throw new Error("the quick start shows no sample summary");
    const sampleLines = sample.body.trimEnd().split("\n");
    const labels = sampleLines.slice(1).map((l) => /^ {2}(\w+) +/.exec(l)?.[1]);
    expect(labels).toEqual(["URL", "Auth", "Account", "Plugins", "Email", "Outputs"]);

    const value = (label: string) => new RegExp(`^ {2}${label} +(.+)$`, "m").exec(printed)?.[1];
    expect(value("URL")).toBe(outputs.url);
    expect(value("Auth")).toBe(outputs.authUrl);
    expect(value("Account")).toBe(outputs.accountUrl);
    expect(value("Plugins")?.split(", ")).toEqual(outputs.plugins);
    expect(value("Email")).toMatch(/^local outbox /);
    expect(outputs.emailTransport).toBe("local-outbox");
    const outputsFile = value("Outputs") as string;
    expect(outputsFile).toBe(`.authform/${stage}.json`);
    expect(existsSync(path.join(ROOT, outputsFile))).toBe(true);

    // The default config on a fresh stage prints the README's sample, its stage and port aside.
    const port = new URL(outputs.url).port;
    const expected = sample.body
      .trimEnd()
      .replaceAll(`stage ${README_STAGE}`, `stage ${stage}`)
      .replaceAll(`${README_STAGE}.json`, `${stage}.json`)
      .replaceAll("localhost:1337", `localhost:${port}`);
    expect(printed).toContain(expected);
  });
});

describe("the quick start's examples", () => {
  it("the curl sign-up answers 200 with a session cookie", async () => {
    const example = codeBlocks(quickStart).find((b) => b.body.startsWith("curl "));
    if (!example) throw new Error("the quick start has no curl example");
    const words = shellWords(local(example.body));
    const request = parseCurl(words);
    expect(request).toMatchObject({
      method: "POST",
      url: `${outputs.url}/auth/v1/sign-up/email`,
      include: true,
    });
    const curl = "/usr/bin/curl";
    let status: number;
    let cookies: string[];
    let body: string;
    if (existsSync(curl)) {
      // The command as written (host:port aside): -i puts the status line and headers first.
      const { stdout } = await run(curl, ["-sS", ...words.slice(1)], { cwd: ROOT });
      const [head = "", ...rest] = stdout.split("\r\n\r\n");
      status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head)?.[1]);
      cookies = [...head.matchAll(/^set-cookie: *([^;\r\n]+)/gim)].map((m) => m[1] as string);
      body = rest.join("\r\n\r\n");
    } else {
      const res = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
      });
      status = res.status;
      cookies = res.headers.getSetCookie().map((c) => c.split(";")[0] as string);
      body = await res.text();
    }
    expect(status, body).toBe(200);
    expect(
      cookies.some((c) => /^better-auth\.session_token=.+/.test(c)),
      cookies.join("\n"),
    ).toBe(true);
    const sent = JSON.parse(request.body as string) as { email: string };
    expect((JSON.parse(body) as { user: { email: string } }).user.email).toBe(sent.email);
  });

  it("/login serves the Account SPA", async () => {
    const link = /`(http:\/\/localhost:1337\/login)`/.exec(quickStart)?.[1];
    if (!link) throw new Error("the quick start does not point at /login");
    const res = await fetch(local(link));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html\b/);
    const html = await res.text();
    // The SPA's root, and its script, which is served too.
    expect(html).toContain('<div id="app">');
    const script = /<script type="module" src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${outputs.url}${script}`)).status).toBe(200);
  });

  it("a link asked for by email appears in the console and under .authform/outbox/", async () => {
    expect(quickStart).toContain("appear in the console and under `.authform/outbox/`");
    // The default config has email + password only: its email is the password-reset link.
    expect(outputs.plugins).toEqual(["emailAndPassword"]);
    const email = "ada@example.com"; // signed up by the curl example
    const before = (await readOutbox(ROOT, stage)).length;
    const res = await fetch(`${outputs.url}/auth/v1/request-password-reset`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: outputs.url },
      body: JSON.stringify({ email, redirectTo: "/login" }),
    });
    expect(res.status, await res.text()).toBe(200);
    const sent = await waitForEmail(stage, email);
    expect(sent.kind).toBe("password-reset");
    expect(path.dirname(sent.file)).toBe(path.join(ROOT, ".authform", "outbox", stage));
    expect((await readOutbox(ROOT, stage)).length).toBe(before + 1);
    const link = sent.secretPreview as string;
    expect(link).toContain(`${outputs.url}/auth/v1/reset-password/`);
    await expect.poll(() => stripVTControlCharacters(program?.output() ?? "")).toContain(link);
  });

  it("Ctrl-C stops it: nothing serves on its port afterwards", async () => {
    expect(quickStart).toContain("(Ctrl-C stops it)");
    await program?.stop();
    expect(await isPortFree(Number(new URL(outputs.url).port))).toBe(true);
    await expect(fetch(outputs.url)).rejects.toThrow();
  });
});

describe("the README's commands and paths", () => {
  it("every `alchemy.run.ts` command uses only flags the CLI accepts (its --help)", async () => {
    const help = await runProgram(["--help"]);
    expect(help.code).toBe(0);
    const accepted = new Set([...help.output.matchAll(/^ +(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]));
    expect(accepted).toContain("--stage");

    const commands = [...codeBlocks(README).flatMap((b) => b.body.split("\n")), ...inlineCode(README)].filter(
      (line) => line.includes("alchemy.run.ts"),
    );
    expect(commands.length).toBeGreaterThanOrEqual(6);
    const used = commands.flatMap((line) =>
      shellWords(withoutComment(line)).filter((w) => w.startsWith("-")),
    );
    // Flags the prose names on their own (`--plan`, `--port N`) count too.
    const named = inlineCode(README)
      .map((code) => /^(--[a-z-]+)(?: [A-Z]+)?$/.exec(code)?.[1])
      .filter((flag) => flag !== undefined);
    expect(named.length).toBeGreaterThan(0);
    for (const flag of [...used, ...named]) expect(accepted, flag).toContain(flag);
  });

  it("every repo path the README names exists (in code or in prose)", () => {
    // Whole README, not only backticks: "See docs/DEPLOY.md" in prose is a promise too.
    const mentioned = README.matchAll(
      /(?:^|[\s(`])((?:src|worker|docs|bench|test|account|\.ci|\.github)\/[\w./-]*|\.env\.example)/gm,
    );
    const paths = new Set([...mentioned].map((m) => (m[1] as string).replace(/[.,]+$/, "")));
    expect(paths).toContain("docs/DEPLOY.md");
    expect(paths).toContain("worker/middleware/drain-body.ts");
    const missing = [...paths].filter((p) => !existsSync(path.join(ROOT, p)));
    expect(missing).toEqual([]);
  });
});
