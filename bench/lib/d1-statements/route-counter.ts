/**
 * Sends one request per route and keeps the D1 statement count the Worker answers with
 * (`x-authform-d1-queries`, when its config sets `AUTHFORM_COUNT_D1_QUERIES`). Every counted
 * request must succeed, so a broken flow fails the bench instead of printing a count.
 */
import { expectOk, postJson, type Timed, timed } from "../http.ts";

export type D1Statements = { route: string; statements: number }[];

export class RouteCounter {
  readonly rows: D1Statements = [];

  constructor(readonly base: string) {}

  /** Records `r`'s count under `route` once it answered `status`. */
  count(route: string, r: Timed, status = 200): Timed {
    expectOk(route, r, status);
    const value = r.headers.get("x-authform-d1-queries");
    if (value === null)
      throw new Error(`${route}: no x-authform-d1-queries header (is AUTHFORM_COUNT_D1_QUERIES set?)`);
    this.rows.push({ route, statements: Number(value) });
    return r;
  }

  async get(route: string, pathname: string, headers: Record<string, string> = {}, status = 200) {
    return this.count(route, await timed(this.base, pathname, { headers }), status);
  }

  async post(
    route: string,
    pathname: string,
    json: unknown,
    headers: Record<string, string> = {},
    status = 200,
  ) {
    return this.count(route, await postJson(this.base, pathname, json, headers), status);
  }
}

/** The JSON body of a response. */
export function jsonOf<T>(r: Timed): T {
  return JSON.parse(r.body) as T;
}

/** Fails the bench with what a user would have seen when `ok` is false. */
export function expectThat(route: string, ok: boolean, what: string, r?: Timed): void {
  if (!ok) throw new Error(`${route}: expected ${what}${r ? `, got: ${r.body.slice(0, 300)}` : ""}`);
}
