// The benchmark's free-plan stack: email + password only, hashed with the "workers-free" profile.
import { defineAuth, defineConfig } from "authform";

export default defineConfig({
  name: "bench-free",
  providers: {
    auth: defineAuth("better-auth", {
      emailAndPassword: { enabled: true, passwordHashing: "workers-free" },
    }),
  },
});
