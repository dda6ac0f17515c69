/**
 * The deploy-mode bundle runs: the script a deploy uploaded to the Cloudflare stand-in, started on
 * Miniflare with the bindings its upload declared, signs a user up, signs them in and keeps a session.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeploymentPlan } from "../../src/plan/types.ts";
import { CloudflareApiStandIn, type WorkerScript } from "../support/cloudflare-api/index.ts";
import { Session } from "../support/http.ts";
import { runUploadedWorker, type UploadedWorker } from "../support/run-uploaded-worker.ts";
import { uniqueStage } from "../support/stack.ts";
import { API_URL, deploy, deployEnv, destroy, planFor } from "./deploy-support.ts";

const CONFIG = "test/fixtures/deploy-bundle.config.ts";
const stage = uniqueStage("bundle");
let api: CloudflareApiStandIn;
let env: NodeJS.ProcessEnv;
let plan: DeploymentPlan;
let script: WorkerScript;
let worker: UploadedWorker;

beforeAll(async () => {
  api = await CloudflareApiStandIn.start();
  env = deployEnv(api);
  plan = await planFor(CONFIG, env, stage);
  const run = await deploy(stage, CONFIG, env);
  if (run.code !== 0) throw new Error(`deploy failed:\n${run.output}`);
  const uploaded = api.workers.get(plan.names.worker);
  if (!uploaded) throw new Error(`the deploy uploaded no Worker named ${plan.names.worker}`);
  script = uploaded;
  worker = await runUploadedWorker(script);
});

afterAll(async () => {
  await worker?.dispose();
  if (api) await destroy(stage, CONFIG, env);
  await api?.close();
});

/** A browser on the deployed API's origin, its requests going to the uploaded script. */
const browser = () => new Session(API_URL, undefined, worker.fetch);
const user = { email: `ada-${stage}@example.com`, password: "correct horse battery staple", name: "Ada" };

describe("the uploaded deploy-mode bundle on Miniflare", () => {
  it("is the deploy-mode build, bound to the stage's D1 and the send_email binding", () => {
    const bindings = Object.fromEntries((script.metadata.bindings ?? []).map((b) => [b.name, b]));
    const [database] = api.d1.list(plan.names.database);
    expect(bindings.DB).toMatchObject({ type: "d1", id: database?.uuid });
    expect(bindings.EMAIL).toMatchObject({ type: "send_email" });
    expect(bindings.AUTHFORM_MODE).toMatchObject({ type: "plain_text", text: "deploy" });
    expect(bindings.BETTER_AUTH_URL).toMatchObject({ type: "plain_text", text: API_URL });
  });

  it("signs a new user up with a password and hands back a session cookie", async () => {
    const signup = browser();
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
    const other = browser();
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
    const stranger = browser();
    const res = await stranger.post("/auth/v1/sign-in/email", {
      email: user.email,
      password: "wrong password",
    });
    expect(res.status).toBe(401);
    expect(await (await stranger.get("/auth/v1/get-session")).json()).toBeNull();
  });
});
