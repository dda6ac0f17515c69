// The benchmark's minimal stack: email + password only, so the bundle carries no plugin code.
import { defineAuth, defineConfig, defineDatabase } from "authform";

export default defineConfig({
  name: "bench-min",
  providers: {
    // Counts D1 statements per response (x-authform-d1-queries) for the per-route table.
    database: defineDatabase("cloudflare-d1", { vars: { AUTHFORM_COUNT_D1_QUERIES: "1" } }),
    auth: defineAuth("better-auth", {
      emailAndPassword: { enabled: true },
    }),
  },
});
