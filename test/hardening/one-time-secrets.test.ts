/** One-time secrets and counters under concurrency on a D1-only stack (the cases: support/one-time-secrets-suite.ts). */
import { describeOneTimeSecrets } from "./support/one-time-secrets-suite.ts";

describeOneTimeSecrets({
  label: "once-d1",
  app: "one-time-secrets-test",
  config: "test/hardening/fixtures/one-time-secrets.config.ts",
});
