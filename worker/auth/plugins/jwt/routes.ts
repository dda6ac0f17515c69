/** The jwt plugin's route outside Better Auth's router: POST /token, as the seed says. */
import type { Hono } from "hono";
import type { AppEnv, RouteContext } from "../../../spec.ts";

/** Better Auth defines only GET /token; the seed says POST. Both mint from the session cookie. */
export function tokenByPost(app: Hono<AppEnv>, ctx: RouteContext) {
  const path = `${ctx.spec.manifest.basePath}/token`;
  app.post(path, (c) => {
    const headers = new Headers(c.req.raw.headers);
    headers.delete("content-type");
    headers.delete("content-length");
    return ctx.auth(c.env).handler(new Request(c.req.url, { method: "GET", headers }));
  });
}
