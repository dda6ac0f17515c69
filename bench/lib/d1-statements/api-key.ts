/** API keys: create one, call /api/v1/me with it, list the keys, delete it (after which it is refused). */
import { timed } from "../http.ts";
import type { SignedInUser } from "./account.ts";
import { expectThat, jsonOf, type RouteCounter } from "./route-counter.ts";

export async function countApiKeyRoutes(counter: RouteCounter, user: SignedInUser): Promise<void> {
  const { cookie } = user;
  const created = await counter.post(
    "POST /auth/v1/api-key/create",
    "/auth/v1/api-key/create",
    { name: "d1" },
    { cookie },
  );
  const { id, key } = jsonOf<{ id: string; key: string }>(created);
  const me = await counter.get("GET /api/v1/me (API key)", "/api/v1/me", { "x-api-key": key });
  expectThat("me (API key)", jsonOf<{ userId: string }>(me).userId === user.userId, "the key's owner", me);

  const list = await counter.get("GET /auth/v1/api-key/list", "/auth/v1/api-key/list", { cookie });
  const keys = jsonOf<{ id: string }[] | { apiKeys: { id: string }[] }>(list);
  const ids = (Array.isArray(keys) ? keys : keys.apiKeys).map((k) => k.id);
  expectThat("api-key/list", ids.includes(id), "the new key", list);

  const deleted = await counter.post(
    "POST /auth/v1/api-key/delete",
    "/auth/v1/api-key/delete",
    { keyId: id },
    { cookie },
  );
  const refused = await timed(counter.base, "/api/v1/me", { headers: { "x-api-key": key } });
  expectThat("api-key/delete", refused.status === 401, "the deleted key refused (401)", deleted);
}
