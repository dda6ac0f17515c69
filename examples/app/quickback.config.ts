// The stack the example app signs in against: passwords and passkeys, plus Better Auth's `jwt`
// plugin, whose JWKS-signed tokens the app's own backend verifies without holding any secret.
import { defineAuth, defineConfig, defineDatabase, defineRuntime } from "authform";

export default defineConfig({
  name: "example-app",
  providers: {
    // The app runs on its own origin (Vite's dev server): the stack must trust it for CORS,
    // cookies sent with credentials, and passkey ceremonies.
    runtime: defineRuntime("cloudflare", { trustedOrigins: ["http://localhost:5173"] }),
    database: defineDatabase("cloudflare-d1", { vars: { APP_NAME: "Example App" } }),
    auth: defineAuth("better-auth", {
      emailAndPassword: { enabled: true },
      plugins: ["passkey", "jwt"],
    }),
  },
});
