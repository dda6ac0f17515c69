// bench/lib/kv-storage.ts, KV on: email + password, sessions in Workers KV, D1 statements counted per response.
import { defineAuth, defineConfig, defineDatabase, defineStorage } from "authform";

export default defineConfig({
  name: "bench-kv-on",
  providers: {
    database: defineDatabase("cloudflare-d1", { vars: { AUTHFORM_COUNT_D1_QUERIES: "1" } }),
    auth: defineAuth("better-auth", { emailAndPassword: { enabled: true } }),
    storage: defineStorage("cloudflare-kv"),
  },
});
