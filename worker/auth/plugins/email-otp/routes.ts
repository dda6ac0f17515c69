/**
 * The seed's `POST /email-otp/verify-otp`, which Better Auth does not have. It takes
 * `{ email, otp, type? }` with the `type` the code was sent for, and hands it to the endpoint that
 * uses such a code: "sign-in" (the default) signs in, "email-verification" verifies the address,
 * "forget-password" checks the code (the reset itself is `/email-otp/reset-password`).
 */
import type { Context, Hono } from "hono";
import type { AppEnv, RouteContext } from "../../../spec.ts";

const TARGETS: Record<string, { path: string; fields: string[]; extra?: Record<string, string> }> = {
  "sign-in": { path: "/sign-in/email-otp", fields: ["email", "otp", "name", "image"] },
  "email-verification": { path: "/email-otp/verify-email", fields: ["email", "otp"] },
  "forget-password": {
    path: "/email-otp/check-verification-otp",
    fields: ["email", "otp"],
    extra: { type: "forget-password" },
  },
};

export function verifyOtpRoute(app: Hono<AppEnv>, ctx: RouteContext) {
  const base = ctx.spec.manifest.basePath;
  app.post(`${base}/email-otp/verify-otp`, async (c) => {
    const body = await jsonObject(c);
    const type = body.type ?? "sign-in";
    const target = typeof type === "string" ? TARGETS[type] : undefined;
    if (!target) {
      return c.json(
        {
          error: "bad_request",
          code: "INVALID_OTP_TYPE",
          message: `type must be one of ${Object.keys(TARGETS)
            .map((t) => `"${t}"`)
            .join(", ")} (default "sign-in").`,
        },
        400,
      );
    }
    const json: Record<string, unknown> = { ...target.extra };
    for (const field of target.fields) if (body[field] !== undefined) json[field] = body[field];
    const url = new URL(c.req.url);
    url.pathname = `${base}${target.path}`;
    const headers = new Headers(c.req.raw.headers);
    headers.delete("content-length");
    headers.set("content-type", "application/json");
    return ctx.auth(c.env).handler(new Request(url, { method: "POST", headers, body: JSON.stringify(json) }));
  });
}

/** The JSON object body; worker/middleware/json-body.ts has already refused malformed JSON. */
async function jsonObject(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("application/json")) return {};
  const body: unknown = await c.req.raw.json();
  return typeof body === "object" && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}
