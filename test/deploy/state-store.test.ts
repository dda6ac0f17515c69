/** Which state store a run uses: this disk locally, a shared remote store in CI; bad settings stop the run early. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkStateStoreEnv,
  chooseStateStoreKind,
  createStateStore,
  describeChanges,
  isCi,
  StateStoreError,
} from "../../src/provision/state-store.ts";
import { CloudflareApiStandIn } from "../support/cloudflare-api/index.ts";
import { uniqueStage } from "../support/stack.ts";
import { deploy, deployEnv, writeConfig } from "./deploy-support.ts";

describe("chooseStateStoreKind", () => {
  it("keeps state on disk in local mode, even in CI", () => {
    expect(chooseStateStoreKind({ CI: "true" }, "local")).toBe("file");
    expect(chooseStateStoreKind({ CI: "true", AUTHFORM_STATE_STORE: "s3" }, "local")).toBe("file");
  });

  it("keeps state on disk for a deploy from a person's machine", () => {
    expect(chooseStateStoreKind({}, "deploy")).toBe("file");
    expect(chooseStateStoreKind({ CI: "false" }, "deploy")).toBe("file");
  });

  it("uses Alchemy's Cloudflare state store for deploys in CI unless told otherwise", () => {
    expect(chooseStateStoreKind({ CI: "true" }, "deploy")).toBe("cloudflare");
    expect(chooseStateStoreKind({ CI: "1", AUTHFORM_STATE_STORE: "s3" }, "deploy")).toBe("s3");
    expect(chooseStateStoreKind({ CI: "true", AUTHFORM_STATE_STORE: "file" }, "deploy")).toBe("file");
  });

  it("refuses an unknown store by name", () => {
    expect(() => chooseStateStoreKind({ AUTHFORM_STATE_STORE: "dynamo" }, "deploy")).toThrow(
      'AUTHFORM_STATE_STORE is "dynamo"; expected one of: file, cloudflare, s3.',
    );
  });

  it("reads CI the way CI services set it", () => {
    expect([
      isCi({ CI: "true" }),
      isCi({ CI: "1" }),
      isCi({ CI: "false" }),
      isCi({ CI: "" }),
      isCi({}),
    ]).toEqual([true, true, false, false, false]);
  });
});

describe("checkStateStoreEnv", () => {
  it("asks for the Cloudflare store's token and the S3 store's bucket, by name", () => {
    expect(() => checkStateStoreEnv("cloudflare", {})).toThrow(/ALCHEMY_STATE_TOKEN/);
    expect(() => checkStateStoreEnv("s3", {})).toThrow(/AUTHFORM_STATE_BUCKET/);
    expect(() => checkStateStoreEnv("cloudflare", { ALCHEMY_STATE_TOKEN: "t" })).not.toThrow();
    expect(() => checkStateStoreEnv("s3", { AUTHFORM_STATE_BUCKET: "b" })).not.toThrow();
    expect(() => checkStateStoreEnv("file", {})).not.toThrow();
  });

  it("builds Alchemy's Cloudflare state store with the token", async () => {
    const factory = await createStateStore("cloudflare", { ALCHEMY_STATE_TOKEN: "state-token" });
    const { CloudflareStateStore } = await import("alchemy/state");
    const store = factory({ chain: ["app", "stage"] } as never);
    expect(store).toBeInstanceOf(CloudflareStateStore);
    expect((store as InstanceType<typeof CloudflareStateStore>).options.stateToken.unencrypted).toBe(
      "state-token",
    );
  });

  it("raises StateStoreError, the error the CLI prints without a stack", () => {
    expect(() => checkStateStoreEnv("cloudflare", {})).toThrow(StateStoreError);
  });
});

describe("describeChanges", () => {
  it("says when a run changed nothing, and otherwise what it changed", () => {
    expect(describeChanges([])).toBe(
      "Unchanged: the stage already matches the config; nothing was sent to Cloudflare.",
    );
    expect(
      describeChanges([
        { id: "database", kind: "cloudflare::D1Database", change: "created" },
        { id: "worker", kind: "cloudflare::Worker", change: "updated" },
      ]),
    ).toBe("Changed: database created, worker updated.");
  });
});

describe("a deploy in CI", () => {
  let api: CloudflareApiStandIn;
  beforeAll(async () => {
    api = await CloudflareApiStandIn.start();
  });
  afterAll(async () => {
    await api?.close();
  });

  it("without a remote store's settings stops before sending anything, and says what to set", async () => {
    const config = await writeConfig("ci.config.ts", { app: "deploy-ci" });
    const run = await deploy(uniqueStage("ci"), config, deployEnv(api, { CI: "true" }));
    expect(run.code).toBe(1);
    expect(run.output).toContain("The cloudflare state store needs:");
    expect(run.output).toContain("ALCHEMY_STATE_TOKEN");
    expect(run.output).toContain("Nothing was provisioned.");
    expect(api.requests).toEqual([]);
  });
});
