// bench/lib/kv-storage.ts, KV off: the same stack with sessions in D1 only, D1 statements counted per response.
import { defineAuth, defineConfig, defineDatabase } from "authform";

export default defineConfig({
  name: "bench-kv-off",
  providers: {
    database: defineDatabase("cloudflare-d1", { vars: { AUTHFORM_COUNT_D1_QUERIES: "1" } }),
    auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
  },
});
