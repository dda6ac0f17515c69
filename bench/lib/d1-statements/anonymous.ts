/** A guest: anonymous sign-in, then (upgradeAnonymous) the upgrade to a full account, same id. */
import { expectThat, jsonOf, type RouteCounter } from "./route-counter.ts";
import { newCredentials, sessionCookie } from "./signed-in.ts";

export async function countAnonymousRoutes(counter: RouteCounter, plugins: string[]): Promise<void> {
  if (!plugins.includes("anonymous")) return;
  const guest = await counter.post("POST /auth/v1/sign-in/anonymous", "/auth/v1/sign-in/anonymous", {});
  const guestId = jsonOf<{ user: { id: string } }>(guest).user.id;
  const cookie = sessionCookie("sign-in/anonymous", guest);
  if (!plugins.includes("upgradeAnonymous")) return;
  const credentials = newCredentials("d1-guest");
  const upgraded = await counter.post(
    "POST /auth/v1/upgrade-anonymous",
    "/auth/v1/upgrade-anonymous",
    { email: credentials.email, password: credentials.password },
    { cookie },
  );
  const user = jsonOf<{ user: { id: string; email: string } }>(upgraded).user;
  expectThat(
    "upgrade-anonymous",
    user.id === guestId && user.email === credentials.email,
    "the guest's id with the new email",
    upgraded,
  );
}
