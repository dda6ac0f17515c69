/** Proof that the SES transport adds no AWS SDK to the Worker: bundle it with the esbuild Alchemy bundles Workers with. */
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.ts";
import { generateWorkerEntry } from "../../src/generate/worker-entry.ts";
import { planDeployment } from "../../src/plan/plan-deployment.ts";
import { bundleWorker, SES_SENDER_WORKER } from "../support/ses-bundle.ts";
import { ROOT } from "../support/stack.ts";

const SDK = /@aws-sdk|@smithy|SESv2Client|aws-crypto/;

describe("a Worker that sends through SES", () => {
  it("bundles without any AWS SDK or Smithy code, in under 8 KB minified", async () => {
    const minified = await bundleWorker(SES_SENDER_WORKER, { minify: true });
    const readable = await bundleWorker(SES_SENDER_WORKER);
    const gzip = gzipSync(minified.text).byteLength;
    console.log(
      `SES sender Worker bundle: ${minified.bytes} B minified (${gzip} B gzip), ${readable.bytes} B unminified`,
    );
    for (const b of [minified, readable]) {
      expect(b.inputs.filter((i) => i.includes("node_modules"))).toEqual([]);
      expect(b.text).not.toMatch(SDK);
    }
    expect(readable.inputs.sort()).toEqual([
      expect.stringMatching(/entry\.ts$/),
      "src/contract/transports.ts",
      "worker/email/ses/error-response.ts",
      "worker/email/ses/from-address.ts",
      "worker/email/ses/sender.ts",
      "worker/email/ses/sigv4.ts",
      "worker/email/types.ts",
    ]);
    // The signer really is in there (so the checks above looked at the right bundle).
    expect(readable.text).toContain("AWS4-HMAC-SHA256");
    expect(minified.bytes).toBeLessThan(8 * 1024);
  });

  it("the same check catches the AWS SDK when a Worker does import it", async () => {
    const sdkWorker = `import { SESv2Client } from "@aws-sdk/client-sesv2";
export default { fetch() { return new Response(String(new SESv2Client({ region: "eu-west-1" }))); } };`;
    const withSdk = await bundleWorker(sdkWorker, { minify: true });
    expect(withSdk.inputs.some((i) => i.includes("@aws-sdk"))).toBe(true);
    expect(withSdk.text).toMatch(SDK);
    expect(withSdk.bytes).toBeGreaterThan(100 * 1024);
  });

  it("the whole generated Worker of a SES stage carries the SES sender and still no AWS SDK", async () => {
    const config = await loadConfig(path.join(ROOT, "test", "fixtures", "ses.config.ts"));
    const plan = planDeployment({
      config,
      env: {
        BETTER_AUTH_URL: "https://api.example.com",
        ALCHEMY_PASSWORD: "x",
        AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "secret",
        AWS_SES_REGION: "eu-west-1",
        EMAIL_FROM: "noreply@example.com",
      },
      stage: "bundle",
      mode: "deploy",
    });
    expect(plan.emailTransport).toBe("aws-ses");
    const worker = await bundleWorker((dir) => generateWorkerEntry(plan, path.join(ROOT, "worker"), dir), {
      minify: true,
    });
    // It is the whole Worker (Better Auth and all), not just the sender.
    expect(worker.inputs.some((i) => i.includes("node_modules/better-auth/"))).toBe(true);
    expect(worker.inputs).toContain("worker/email/ses/sigv4.ts");
    expect(worker.inputs.filter((i) => /@aws-sdk|@smithy|aws-crypto/.test(i))).toEqual([]);
    expect(worker.text).not.toMatch(SDK);
  });
});
