/** AUTHFORM_SOCIAL_LOOPBACK in the Worker: endpoints map to loopback by path, and only in local mode. */
import { describe, expect, it } from "vitest";
import { loopbackEndpoints } from "../../worker/auth/social/loopback-endpoints.ts";
import type { WorkerEnv } from "../../worker/env.ts";

const env = (mode: "local" | "deploy", loopback?: string) =>
  ({ AUTHFORM_MODE: mode, ...(loopback ? { AUTHFORM_SOCIAL_LOOPBACK: loopback } : {}) }) as WorkerEnv;

describe("loopbackEndpoints", () => {
  it("maps each of a provider's endpoints to the stand-in, path and query kept", () => {
    const map = loopbackEndpoints(env("local", "github=http://127.0.0.1:4002"));
    expect(map?.("https://github.com/login/oauth/authorize?client_id=x&state=y")).toBe(
      "http://127.0.0.1:4002/login/oauth/authorize?client_id=x&state=y",
    );
    expect(map?.("https://api.github.com/user/emails")).toBe("http://127.0.0.1:4002/user/emails");
    // Not a mapped provider's endpoint, or another path on its host: left alone.
    expect(map?.("https://oauth2.googleapis.com/token")).toBeUndefined();
    expect(map?.("https://api.github.com/repos")).toBeUndefined();
  });

  it("maps everything under a provider's path prefix (Microsoft's tenant is in the path)", () => {
    const map = loopbackEndpoints(env("local", "microsoft=http://127.0.0.1:4003"));
    expect(map?.("https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token")).toBe(
      "http://127.0.0.1:4003/contoso.com/oauth2/v2.0/token",
    );
    expect(map?.("https://graph.microsoft.com/v1.0/me/photos/48x48/$value")).toBe(
      "http://127.0.0.1:4003/v1.0/me/photos/48x48/$value",
    );
    // However the path is encoded: Better Auth's fetch sends Discord's /users/@me as /users/%40me.
    const discord = loopbackEndpoints(env("local", "discord=http://127.0.0.1:4004"));
    expect(discord?.("https://discord.com/api/users/%40me")).toBe("http://127.0.0.1:4004/api/users/%40me");
    // Graph outside the photo Better Auth fetches stays real.
    expect(map?.("https://graph.microsoft.com/v1.0/me/messages")).toBeUndefined();
  });

  it("is off in deploy mode even if the variable reached the Worker, and when it cannot be read", () => {
    expect(loopbackEndpoints(env("deploy", "github=http://127.0.0.1:4002"))).toBeUndefined();
    expect(loopbackEndpoints(env("local", "github=https://evil.example"))).toBeUndefined();
    expect(loopbackEndpoints(env("local"))).toBeUndefined();
  });
});
