/** The oauthProvider plugin's routes outside Better Auth's router: root discovery documents, the token endpoint's error codes, and the redirects to the Account SPA's pages. */
import type { Hono } from "hono";
import type { AppEnv, RouteContext } from "../../../spec.ts";
import { accountRedirects } from "./account-redirects.ts";
import { discoveryRoutes } from "./discovery-routes.ts";
import { oauthProviderSettings } from "./options.ts";
import { tokenErrors } from "./token-errors.ts";

export function oauthRoutes(app: Hono<AppEnv>, ctx: RouteContext) {
  const { basePath } = ctx.spec.manifest;
  discoveryRoutes(app, ctx);
  app.use(`${basePath}/oauth2/token`, tokenErrors());
  app.use(
    `${basePath}/*`,
    accountRedirects((env) => {
      const settings = oauthProviderSettings(ctx.spec.manifest.plugins.oauthProvider ?? {}, env);
      return {
        loginPage: settings.loginPage,
        consentPage: settings.consentPage,
        authorizeUrl: `${env.BETTER_AUTH_URL.replace(/\/+$/, "")}${basePath}/oauth2/authorize`,
      };
    }),
  );
}
