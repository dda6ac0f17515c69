/** Serves the Account SPA from the Worker: the page shell at its routes, hashed assets under /assets/. */
import type { Hono } from "hono";
import type { WorkerEnv } from "../env.ts";
import { jsonError } from "../middleware/errors.ts";
import type { AppEnv, WorkerSpec } from "../spec.ts";
import { assetHeaders, pageHeaders } from "./security-headers.ts";
import { stackInfo } from "./stack-info.ts";
import type { AccountAssets } from "./types.ts";

/** The SPA's pages. OAuth, invitation and password-reset emails point at these on ACCOUNT_URL. */
export const ACCOUNT_PAGES = [
  "/login",
  "/consent",
  "/account",
  "/account/admin",
  "/accept-invitation",
  "/reset-password",
] as const;

export function accountRoutes(app: Hono<AppEnv>, spec: WorkerSpec, assets: AccountAssets) {
  const pages = new WeakMap<WorkerEnv, string>();
  const page = (env: WorkerEnv) => {
    let html = pages.get(env);
    if (html === undefined) {
      html = assets.html
        .replace("%AUTHFORM_STACK%", escapeAttribute(JSON.stringify(stackInfo(env, spec))))
        // The configured providers' marks for the sign-in buttons; nothing without social sign-in.
        .replace("%AUTHFORM_ICONS%", spec.social?.iconSprite(env, spec.manifest) ?? "");
      pages.set(env, html);
    }
    return html;
  };
  for (const path of ACCOUNT_PAGES) {
    app.get(path, (c) => c.body(page(c.env), 200, pageHeaders(c.env.BETTER_AUTH_URL)));
  }
  app.get("/assets/*", (c) => {
    const file = assets.files[c.req.path];
    if (!file) return jsonError(c, 404, "not_found", `No asset at ${c.req.path}`);
    return c.body(file.body, 200, assetHeaders(file.type));
  });
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
