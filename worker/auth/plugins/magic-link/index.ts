/** magicLink: Better Auth's sign-in links (single-use, expiring, stored hashed) at its paths and the seed's. */
import { magicLink } from "better-auth/plugins/magic-link";
import { emailBrand, magicLinkEmail } from "../../../email/templates/index.ts";
import { postAlias } from "../../../reference/alias.ts";
import type { PluginModule } from "../../../spec.ts";
import { emailOtpSettings } from "../email-otp/options.ts";
import { defaultMagicLinkCallback } from "./default-callback.ts";
import { magicLinkSettings } from "./options.ts";
import { magicLinkSendRoute } from "./routes.ts";
import { issueSignInCode } from "./sign-in-code.ts";

export const magicLinkPlugin: PluginModule = {
  audit: { signIns: { "/magic-link/verify": "magic-link" } },
  betterAuth: ({ env, email, manifest, options }) => {
    const settings = magicLinkSettings(options);
    const brand = emailBrand(env);
    // Both flows on: one email carries the link and a sign-in code (see magic-link/sign-in-code.ts).
    const otpOptions = manifest.plugins.emailOtp;
    const combined = otpOptions !== undefined;
    // The email states one lifetime for both: the shorter one.
    const lifetime = combined
      ? Math.min(settings.expiresIn, emailOtpSettings(otpOptions).expiresIn)
      : settings.expiresIn;
    return [
      magicLink({
        expiresIn: settings.expiresIn,
        storeToken: "hashed",
        async sendMagicLink({ email: to, url }, ctx) {
          const otp = combined ? await issueSignInCode(ctx, to) : undefined;
          await email.send({
            kind: "magic-link",
            to,
            ...magicLinkEmail(brand, { url, otp, expiresInSeconds: lifetime }),
            secretPreview: otp ? `${url} (or code ${otp})` : url,
          });
        },
      }),
      defaultMagicLinkCallback(env.APP_URL),
    ];
  },
  routes: magicLinkSendRoute,
  reference: (served) =>
    postAlias(served, "/magic-link/send", { path: "/sign-in/magic-link", method: "post" }, "Same body."),
};
