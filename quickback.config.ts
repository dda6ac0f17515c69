// The stack `bun alchemy.run.ts` runs. The shape follows Quickback's config: only the import differs.
import { defineAuth, defineConfig, defineDatabase, defineRuntime } from "authform";

export default defineConfig({
  name: "authform",
  providers: {
    runtime: defineRuntime("cloudflare"),
    database: defineDatabase("cloudflare-d1", {
      vars: {
        APP_NAME: "My App",
      },
    }),
    auth: defineAuth("better-auth", {
      emailAndPassword: { enabled: true },
    }),
  },
});
