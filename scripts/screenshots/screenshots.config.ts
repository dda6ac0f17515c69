// The screenshots' stack (`npm run screenshots`): every plugin with a page or a section in the
// Account SPA, so each page and section can be shown. Social providers need their loopback
// stand-ins and are left out.
import { defineAuth, defineConfig, defineDatabase } from "authform";

export default defineConfig({
  name: "screenshots",
  providers: {
    database: defineDatabase("cloudflare-d1", { vars: { APP_NAME: "Example App" } }),
    auth: defineAuth("better-auth", {
      emailAndPassword: { enabled: true },
      plugins: {
        emailOtp: true,
        magicLink: true,
        passkey: true,
        anonymous: true,
        upgradeAnonymous: true,
        apiKey: true,
        organization: true,
        oauthProvider: true,
        twoFactor: true,
        admin: { userEmails: ["admin@example.com"] },
      },
    }),
  },
});
