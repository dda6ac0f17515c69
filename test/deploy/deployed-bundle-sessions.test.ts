/**
 * The deploy-mode bundle runs: the script a deploy uploaded to the Cloudflare stand-in, started on
 * Miniflare with the bindings its upload declared, signs a user up, signs them in and keeps a session,
 * with D1 alone and with the KV namespace defineStorage adds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import {
  CloudflareApiStandIn,
  type WorkerBinding,
  type WorkerScript,
} from "../support/cloudflare-api/index.ts";
import { Session } from "../support/http.ts";
import { runUploadedWorker, type UploadedWorker } from "../support/run-uploaded-worker.ts";
import { uniqueStage } from "../support/stack.ts";
import { API_URL, deploy, deployEnv, destroy, planFor } from "./deploy-support.ts";

let api: CloudflareApiStandIn;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  api = await CloudflareApiStandIn.start();
  env = deployEnv(api);
});

afterAll(async () => {
  await api?.close();
});

interface DeployedStage {
  plan: DeploymentPlan;
  script: WorkerScript;
  worker: UploadedWorker;
  bindings: Record<string, WorkerBinding>;
}

/** Deploys `config` to a new stage on the stand-in and starts the script it uploaded; undone afterAll. */
function deployedStage(config: string, label: string): () => DeployedStage {
  const stage = uniqueStage(label);
  let deployed: DeployedStage | undefined;
  beforeAll(async () => {
    const plan = await planFor(config, env, stage);
    const run = await deploy(stage, config, env);
    if (run.code !== 0) throw new Error(`deploy failed:\n${run.output}`);
    const script = api.workers.get(plan.names.worker);
    if (!script) throw new Error(`the deploy uploaded no Worker named ${plan.names.worker}`);
    const bindings = Object.fromEntries((script.metadata.bindings ?? []).map((b) => [b.name, b]));
    deployed = { plan, script, bindings, worker: await runUploadedWorker(script) };
  });
  afterAll(async () => {
    await deployed?.worker.dispose();
    await destroy(stage, config, env);
  });
  return () => {
    if (!deployed) throw new Error(`stage ${stage} was not deployed`);
    return deployed;
  };
}

/** A browser on the deployed API's origin, its requests going to the uploaded script. */
const browserOn = (worker: UploadedWorker) => new Session(API_URL, undefined, worker.fetch);
const userOf = (label: string) => ({
  email: `${label}-${Date.now()}@example.com`,
  password: "correct horse battery staple",
  name: "Ada",
});

describe("the uploaded deploy-mode bundle on Miniflare", () => {
  const stage = deployedStage("test/fixtures/deploy-bundle.config.ts", "bundle");
  const user = userOf("ada");

  it("is the deploy-mode build, bound to the stage's D1 and the send_email binding", () => {
    const { bindings, plan } = stage();
    const [database] = api.d1.list(plan.names.database);
    expect(bindings.DB).toMatchObject({ type: "d1", id: database?.uuid });
    expect(bindings.EMAIL).toMatchObject({ type: "send_email" });
    expect(bindings.AUTHFORM_MODE).toMatchObject({ type: "plain_text", text: "deploy" });
    expect(bindings.BETTER_AUTH_URL).toMatchObject({ type: "plain_text", text: API_URL });
  });

  it("signs a new user up with a password and hands back a session cookie", async () => {
    const signup = browserOn(stage().worker);
    const res = await signup.post("/auth/v1/sign-up/email", user);
    expect(res.status, await res.clone().text()).toBe(200);
    // https BETTER_AUTH_URL: the deploy-mode cookie carries the __Secure- prefix.
    expect(res.headers.getSetCookie().some((c) => c.startsWith("__Secure-better-auth.session_token="))).toBe(
      true,
    );
    const session = await signup.get("/auth/v1/get-session");
    expect(((await session.json()) as { user: { email: string } }).user.email).toBe(user.email);
  });

  it("signs the user in on another browser and keeps the session there", async () => {
    const other = browserOn(stage().worker);
    const res = await other.post("/auth/v1/sign-in/email", { email: user.email, password: user.password });
    expect(res.status, await res.clone().text()).toBe(200);
    const session = await other.get("/auth/v1/get-session");
    expect(session.status).toBe(200);
    expect(((await session.json()) as { user: { email: string; name: string } }).user).toMatchObject({
      email: user.email,
      name: user.name,
    });
  });

  it("refuses a wrong password and gives no session", async () => {
    const stranger = browserOn(stage().worker);
    const res = await stranger.post("/auth/v1/sign-in/email", {
      email: user.email,
      password: "wrong password",
    });
    expect(res.status).toBe(401);
    expect(await (await stranger.get("/auth/v1/get-session")).json()).toBeNull();
  });
});

describe("the uploaded bundle with defineStorage('cloudflare-kv')", () => {
  const stage = deployedStage("test/fixtures/deploy-bundle-kv.config.ts", "bundlekv");
  const user = userOf("kv");

  it("is bound to the stage's KV namespace as AUTH_KV and reports KV as the session store", async () => {
    const { bindings, plan, worker } = stage();
    expect(bindings.AUTH_KV).toMatchObject({
      type: "kv_namespace",
      namespace_id: api.kv.byTitle(plan.names.kv as string)?.id,
    });
    const status = await worker.fetch(`${API_URL}/api/v1/system/status`);
    expect(await status.json()).toMatchObject({ storage: { sessions: "workers-kv" } });
  });

  it("signs up, signs in elsewhere and serves that session from KV, with no D1 query", async () => {
    const { worker } = stage();
    expect((await browserOn(worker).post("/auth/v1/sign-up/email", user)).status).toBe(200);
    const other = browserOn(worker);
    const res = await other.post("/auth/v1/sign-in/email", { email: user.email, password: user.password });
    expect(res.status, await res.clone().text()).toBe(200);
    const session = await other.get("/auth/v1/get-session");
    expect(((await session.json()) as { user: { email: string } }).user.email).toBe(user.email);
    expect(session.headers.get("x-authform-d1-queries")).toBe("0");
  });
});
