/**
 * D1 statements per request, route by route, on one authform stack (issue 22). The Worker counts them
 * when its config sets `AUTHFORM_COUNT_D1_QUERIES` (bench/configs/*) and answers the count in the
 * `x-authform-d1-queries` header; each request here is sent once, as a signed-in user sends it.
 */
import { randomBytes } from "node:crypto";
import { cookieHeader, expectOk, postJson, type Timed, timed } from "./http.ts";

export type D1Statements = { route: string; statements: number }[];

function count(route: string, r: Timed): { route: string; statements: number } {
  const value = r.headers.get("x-authform-d1-queries");
  if (value === null)
    throw new Error(`${route}: no x-authform-d1-queries header (is AUTHFORM_COUNT_D1_QUERIES set?)`);
  return { route, statements: Number(value) };
}

export async function measureD1Statements(base: string, plugins: string[]): Promise<D1Statements> {
  const out: D1Statements = [];
  const user = {
    name: "Counted",
    email: `d1-${randomBytes(4).toString("hex")}@example.com`,
    password: "correct horse battery staple",
  };
  out.push(
    count(
      "POST /auth/v1/sign-up/email",
      expectOk("sign-up", await postJson(base, "/auth/v1/sign-up/email", user)),
    ),
  );
  const signIn = expectOk(
    "sign-in",
    await postJson(base, "/auth/v1/sign-in/email", { email: user.email, password: user.password }),
  );
  out.push(count("POST /auth/v1/sign-in/email", signIn));
  const cookie = cookieHeader(signIn.headers);
  const bearer = signIn.headers.get("set-auth-token");
  const get = async (route: string, path: string, headers: Record<string, string>) =>
    out.push(count(route, expectOk(route, await timed(base, path, { headers }))));
  await get("GET /auth/v1/get-session", "/auth/v1/get-session", { cookie });
  await get("GET /auth/v1/list-sessions", "/auth/v1/list-sessions", { cookie });
  await get("GET /api/v1/me (cookie)", "/api/v1/me", { cookie });
  if (bearer)
    await get("GET /api/v1/me (fast-path JWT)", "/api/v1/me", { authorization: `Bearer ${bearer}` });
  out.push(
    count("POST /api/v1/token", expectOk("token", await postJson(base, "/api/v1/token", {}, { cookie }))),
  );
  if (plugins.includes("apiKey")) {
    const created = expectOk(
      "api-key create",
      await postJson(base, "/auth/v1/api-key/create", { name: "d1" }, { cookie }),
    );
    out.push(count("POST /auth/v1/api-key/create", created));
    const key = (JSON.parse(created.body) as { key: string }).key;
    await get("GET /api/v1/me (API key)", "/api/v1/me", { "x-api-key": key });
  }
  out.push(
    count(
      "POST /auth/v1/sign-out",
      expectOk("sign-out", await postJson(base, "/auth/v1/sign-out", {}, { cookie })),
    ),
  );
  return out;
}
