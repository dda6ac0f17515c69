/** One-time secrets and counters under concurrency with `defineStorage("cloudflare-kv")` (the cases: support/one-time-secrets-suite.ts). */
import { describeOneTimeSecrets } from "./support/one-time-secrets-suite.ts";

describeOneTimeSecrets({
  label: "once-kv",
  app: "one-time-secrets-kv-test",
  config: "test/hardening/fixtures/one-time-secrets-kv.config.ts",
});
