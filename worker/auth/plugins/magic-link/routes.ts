/** The seed's `POST /magic-link/send`: the same request as Better Auth's `POST /sign-in/magic-link`, which keeps working. */
import type { Hono } from "hono";
import type { AppEnv, RouteContext } from "../../../spec.ts";

export function magicLinkSendRoute(app: Hono<AppEnv>, ctx: RouteContext) {
  const base = ctx.spec.manifest.basePath;
  app.post(`${base}/magic-link/send`, (c) => {
    const url = new URL(c.req.url);
    url.pathname = `${base}/sign-in/magic-link`;
    const headers = new Headers(c.req.raw.headers);
    headers.delete("content-length");
    return ctx.auth(c.env).handler(new Request(url, { method: "POST", headers, body: c.req.raw.body }));
  });
}
