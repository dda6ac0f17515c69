// The benchmark's full stack: the seed's whole plugin set (organization brings apiKey, oauthProvider brings jwt).
import { defineAuth, defineConfig, defineDatabase } from "authform";

export default defineConfig({
  name: "bench-full",
  providers: {
    // Counts D1 statements per response (x-authform-d1-queries) for the per-route table.
    database: defineDatabase("cloudflare-d1", { vars: { AUTHFORM_COUNT_D1_QUERIES: "1" } }),
    auth: defineAuth("better-auth", {
      emailAndPassword: { enabled: true },
      plugins: [
        "emailOtp",
        "anonymous",
        "upgradeAnonymous",
        "magicLink",
        "passkey",
        "jwt",
        "apiKey",
        "organization",
        "oauthProvider",
      ],
    }),
  },
});
