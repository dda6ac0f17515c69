// The benchmark's full stack: the seed's whole plugin set (organization brings apiKey, oauthProvider brings jwt).
import { defineAuth, defineConfig } from "authform";

export default defineConfig({
  name: "bench-full",
  providers: {
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
