// The benchmark's minimal stack: email + password only, so the bundle carries no plugin code.
import { defineAuth, defineConfig } from "authform";

export default defineConfig({
  name: "bench-min",
  providers: {
    auth: defineAuth("better-auth", {
      emailAndPassword: { enabled: true },
    }),
  },
});
