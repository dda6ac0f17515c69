/** Schema-level checks of .github/workflows (no actionlint here): triggers, jobs, secrets, concurrency, commands. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseCliArgs } from "../../src/cli/args.ts";
import { SOCIAL_PROVIDERS } from "../../src/contract/social-providers.ts";
import { ROOT } from "../support/stack.ts";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  id?: string;
  [key: string]: unknown;
}
interface Job {
  "runs-on"?: string;
  if?: string;
  needs?: string | string[];
  steps?: Step[];
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  strategy?: { matrix?: Record<string, unknown> };
  [key: string]: unknown;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
  [key: string]: unknown;
}

const DIR = path.join(ROOT, ".github", "workflows");

/** A GitHub expression as written in a workflow: ex("matrix.pr") is "${{ matrix.pr }}". */
const ex = (body: string) => `\${{ ${body} }}`;

async function load(name: string): Promise<{ text: string; workflow: Workflow }> {
  const text = await readFile(path.join(DIR, name), "utf8");
  return { text, workflow: parse(text) as Workflow };
}

/** Names in the first column of the markdown table under a docs/DEPLOY.md heading. */
async function documented(heading: string): Promise<{ name: string; required: string }[]> {
  const doc = await readFile(path.join(ROOT, "docs", "DEPLOY.md"), "utf8");
  const section = doc.split(`### ${heading}`)[1]?.split(/\n#{2,3} /)[0] ?? "";
  return [...section.matchAll(/^\| `([A-Z0-9_]+)` \| ([^|]+) \|/gm)].map((m) => ({
    name: m[1] as string,
    required: (m[2] as string).trim(),
  }));
}

const contextNames = (text: string, context: string) =>
  new Set([...text.matchAll(new RegExp(`\\b${context}\\.([A-Z0-9_]+)`, "g"))].map((m) => m[1] as string));

const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps ?? []);

/** The authform flags of every `bun alchemy.run.ts` command, parsed by the CLI's own parser. */
function alchemyCommands(w: Workflow) {
  return steps(w)
    .filter((s) => s.run?.includes("alchemy.run.ts"))
    .map((s) => {
      const run = (s.run as string).trim();
      expect(run, "the program is run as the README says").toMatch(/^npx bun alchemy\.run\.ts( |$)/);
      const argv = run
        .replace(/^npx bun alchemy\.run\.ts\s*/, "")
        .replace(/"\$STAGE"/g, "pr-7")
        .replace(/"pr-\$\{\{ matrix\.pr \}\}"/g, "pr-7")
        .split(/\s+/)
        .filter(Boolean);
      return parseCliArgs(argv);
    });
}

const WORKFLOW_KEYS = new Set([
  "name",
  "on",
  "permissions",
  "env",
  "concurrency",
  "jobs",
  "defaults",
  "run-name",
]);
const JOB_KEYS = new Set([
  "runs-on",
  "if",
  "needs",
  "steps",
  "env",
  "concurrency",
  "strategy",
  "outputs",
  "environment",
  "permissions",
  "timeout-minutes",
  "name",
]);
const STEP_KEYS = new Set([
  "name",
  "id",
  "uses",
  "run",
  "with",
  "env",
  "if",
  "shell",
  "working-directory",
  "continue-on-error",
]);
const CONTEXTS = new Set([
  "github",
  "secrets",
  "vars",
  "env",
  "steps",
  "needs",
  "matrix",
  "inputs",
  "job",
  "runner",
  "fromJSON",
]);

describe.each(["preview.yml", "sweep-previews.yml", "deploy.yml"])("%s", (file) => {
  it("has only known keys, jobs with runs-on and steps, and steps that either run or use", async () => {
    const { workflow } = await load(file);
    expect(Object.keys(workflow).filter((k) => !WORKFLOW_KEYS.has(k))).toEqual([]);
    expect(Object.keys(workflow.jobs).length).toBeGreaterThan(0);
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect(
        Object.keys(job).filter((k) => !JOB_KEYS.has(k)),
        name,
      ).toEqual([]);
      expect(job["runs-on"], name).toBe("ubuntu-latest");
      expect(job.steps?.length, name).toBeGreaterThan(0);
      for (const need of [job.needs ?? []].flat()) expect(Object.keys(workflow.jobs)).toContain(need);
      for (const step of job.steps ?? []) {
        expect(
          Object.keys(step).filter((k) => !STEP_KEYS.has(k)),
          JSON.stringify(step),
        ).toEqual([]);
        expect(
          [step.run, step.uses].filter((x) => x !== undefined),
          JSON.stringify(step),
        ).toHaveLength(1);
        if (step.uses) expect(step.uses).toMatch(/^actions\/(checkout|setup-node|github-script)@v\d+$/);
      }
    }
  });

  it("writes expressions that close and use only known contexts", async () => {
    const { text } = await load(file);
    expect((text.match(/\$\{\{/g) ?? []).length).toBe((text.match(/\}\}/g) ?? []).length);
    for (const [, expr] of text.matchAll(/\$\{\{\s*(.*?)\s*\}\}/g)) {
      const context = (expr as string).match(/^!?\(?\s*([A-Za-z]+)/)?.[1] as string;
      expect(CONTEXTS, expr).toContain(context);
    }
  });

  it("references only documented secrets and variables, and the Cloudflare state store", async () => {
    const { text, workflow } = await load(file);
    const secrets = (await documented("Repository secrets")).map((s) => s.name);
    const variables = (await documented("Repository variables")).map((v) => v.name);
    expect([...contextNames(text, "secrets")].filter((s) => !secrets.includes(s))).toEqual([]);
    expect([...contextNames(text, "vars")].filter((v) => !variables.includes(v))).toEqual([]);
    expect(workflow.env?.AUTHFORM_STATE_STORE).toBe("cloudflare");
  });

  it("runs the program with flags the CLI accepts, with every required secret it needs", async () => {
    const { workflow } = await load(file);
    const required = (await documented("Repository secrets"))
      .filter((s) => s.required === "yes")
      .map((s) => s.name);
    expect(alchemyCommands(workflow).length).toBeGreaterThan(0);
    for (const step of steps(workflow).filter((s) => s.run?.includes("alchemy.run.ts"))) {
      for (const name of required)
        expect(step.env?.[name], `${step.name}: ${name}`).toBe(`\${{ secrets.${name} }}`);
    }
  });
});

// A config may name any catalogue provider: each deploy step hands the program its credentials.
describe.each(["deploy.yml", "preview.yml"])("%s and social sign-in", (file) => {
  it("passes every catalogue social provider's client id and secret to each deploy", async () => {
    const { workflow } = await load(file);
    const deploys = steps(workflow).filter(
      (s) => s.run?.includes("alchemy.run.ts") && !s.run.includes("--destroy"),
    );
    expect(deploys.length).toBeGreaterThan(0);
    for (const step of deploys)
      for (const info of Object.values(SOCIAL_PROVIDERS))
        for (const name of [info.clientIdVar, info.clientSecretVar])
          expect(step.env?.[name], `${step.name}: ${name}`).toBe(`\${{ secrets.${name} }}`);
  });
});

describe("preview.yml", () => {
  it("deploys pr-<number> on open, push and reopen, and destroys it on close", async () => {
    const { workflow } = await load("preview.yml");
    expect(workflow.on).toEqual({ pull_request: { types: ["opened", "synchronize", "reopened", "closed"] } });
    expect(workflow.env?.STAGE).toBe(`pr-${ex("github.event.pull_request.number")}`);
    const { deploy, destroy } = workflow.jobs;
    expect(deploy?.if).toContain("github.event.action != 'closed'");
    expect(destroy?.if).toContain("github.event.action == 'closed'");
    expect(alchemyCommands({ ...workflow, jobs: { deploy: deploy as Job } })).toMatchObject([
      { stage: "pr-7", destroy: false, plan: false },
    ]);
    expect(alchemyCommands({ ...workflow, jobs: { destroy: destroy as Job } })).toMatchObject([
      { stage: "pr-7", destroy: true, force: false },
    ]);
  });

  it("never runs two jobs for one PR at once, and never cancels one half-way", async () => {
    const { workflow } = await load("preview.yml");
    for (const job of Object.values(workflow.jobs)) {
      expect(job.concurrency).toEqual({
        group: `preview-pr-${ex("github.event.pull_request.number")}`,
        "cancel-in-progress": false,
      });
    }
  });

  it("points the preview's BETTER_AUTH_URL at its own workers.dev Worker", async () => {
    const { workflow } = await load("preview.yml");
    const step = workflow.jobs.deploy?.steps?.find((s) => s.run?.includes("alchemy.run.ts"));
    expect(step?.env?.BETTER_AUTH_URL).toBe(
      `https://${ex("vars.AUTHFORM_APP")}-pr-${ex("github.event.pull_request.number")}.${ex("vars.CLOUDFLARE_WORKERS_SUBDOMAIN")}.workers.dev`,
    );
  });

  it("posts one comment, found again by its marker and updated in place", async () => {
    const { workflow } = await load("preview.yml");
    expect(workflow.permissions).toMatchObject({ "pull-requests": "write" });
    const script = String(
      workflow.jobs.deploy?.steps?.find((s) => s.uses?.startsWith("actions/github-script"))?.with?.script,
    );
    expect(script).toContain('const marker = "<!-- authform-preview -->"');
    expect(script).toContain("github.rest.issues.updateComment");
    expect(script).toContain("github.rest.issues.createComment");
    expect(script).toMatch(/if \(existing\)[\s\S]*updateComment[\s\S]*else[\s\S]*createComment/);
    // The URLs come from the outputs file the deploy wrote.
    expect(script).toContain(".authform/$" + "{process.env.STAGE}.json");
    for (const key of ["url", "authUrl", "accountUrl"]) expect(script).toContain(`outputs.${key}`);
  });
});

describe("sweep-previews.yml", () => {
  it("runs on a schedule (and by hand) and destroys the closed PRs' stages in the PR's own concurrency group", async () => {
    const { workflow } = await load("sweep-previews.yml");
    const schedule = workflow.on.schedule as { cron: string }[];
    expect(schedule).toHaveLength(1);
    expect(schedule[0]?.cron.split(" ")).toHaveLength(5);
    expect(workflow.on).toHaveProperty("workflow_dispatch");
    const destroy = workflow.jobs.destroy as Job;
    expect(destroy.needs).toBe("find");
    expect(destroy.strategy?.matrix).toEqual({ pr: ex("fromJSON(needs.find.outputs.prs)") });
    expect(destroy.concurrency).toEqual({
      group: `preview-pr-${ex("matrix.pr")}`,
      "cancel-in-progress": false,
    });
    expect(alchemyCommands(workflow)).toMatchObject([{ stage: "pr-7", destroy: true, force: false }]);
  });

  it("finds previews by their Worker name and keeps only those whose PR is closed", async () => {
    const { workflow } = await load("sweep-previews.yml");
    const script = String(workflow.jobs.find?.steps?.[0]?.with?.script);
    expect(script).toContain("/workers/scripts");
    expect(script).toContain("-pr-(\\\\d+)$");
    expect(script).toContain('data.state === "closed"');
    expect(script).toContain('core.setOutput("prs"');
  });
});

describe("deploy.yml", () => {
  it("deploys stage production from main, one run at a time, in the production environment", async () => {
    const { workflow } = await load("deploy.yml");
    expect(workflow.on).toMatchObject({ push: { branches: ["main"] } });
    const job = workflow.jobs.deploy as Job;
    expect(job.environment).toBe("production");
    expect(job.concurrency).toEqual({ group: "deploy-production", "cancel-in-progress": false });
    expect(alchemyCommands(workflow)).toMatchObject([{ stage: "production", destroy: false, plan: false }]);
    const step = job.steps?.find((s) => s.run?.includes("alchemy.run.ts"));
    expect(step?.env?.BETTER_AUTH_URL).toBe(ex("vars.BETTER_AUTH_URL"));
  });
});

describe("deploy.yml's test job", () => {
  /** What the suite needs that a GitHub runner lacks: Debian's Chromium (test/support/browser.ts). */
  const NOT_ON_A_RUNNER = ["account", "examples"];
  /** Folders of helpers and fixtures, not tests. */
  const NOT_TESTS = ["support", "fixtures"];

  it("gates the deploy: production deploys only after it, and never regardless of it", async () => {
    const { workflow } = await load("deploy.yml");
    const deploy = workflow.jobs.deploy as Job;
    expect([deploy.needs ?? []].flat()).toContain("test");
    // An `if:` such as always() would deploy after a failed test job.
    expect(deploy.if).toBeUndefined();
  });

  it("typechecks, lints, and runs every test folder a runner can run", async () => {
    const { text, workflow } = await load("deploy.yml");
    const job = workflow.jobs.test as Job;
    const runs = (job.steps ?? []).flatMap((s) => (s.run ? [s.run.trim()] : []));
    expect(runs).toContain("npx tsc -p .");
    expect(runs).toContain("npx biome check .");
    const covered = runs
      .filter((r) => r.startsWith("npx vitest run "))
      .flatMap((r) => r.replace("npx vitest run ", "").split(/\s+/));
    const folders = (await readdir(path.join(ROOT, "test"), { withFileTypes: true }))
      .filter((e) => e.isDirectory() && !NOT_TESTS.includes(e.name) && !NOT_ON_A_RUNNER.includes(e.name))
      .map((e) => `test/${e.name}`);
    expect(folders).toEqual(
      expect.arrayContaining(["test/deploy", "test/config", "test/plan", "test/stack"]),
    );
    expect(covered.sort()).toEqual(folders.sort());
    // It runs on the pushed commit only: no production secret reaches it.
    const testJob = text.slice(text.indexOf("\n  test:"), text.indexOf("\n  deploy:"));
    expect(testJob).not.toMatch(/secrets\./);
  });
});

describe(".github/workflows", () => {
  it("holds exactly the three documented workflows", async () => {
    expect((await readdir(DIR)).sort()).toEqual(["deploy.yml", "preview.yml", "sweep-previews.yml"]);
  });

  it("documents every secret and variable the workflows reference", async () => {
    const texts = await Promise.all(
      ["preview.yml", "sweep-previews.yml", "deploy.yml"].map(async (f) => (await load(f)).text),
    );
    const all = texts.join("\n");
    for (const { name } of await documented("Repository secrets"))
      expect(contextNames(all, "secrets")).toContain(name);
    for (const { name } of await documented("Repository variables"))
      expect(contextNames(all, "vars")).toContain(name);
  });
});
