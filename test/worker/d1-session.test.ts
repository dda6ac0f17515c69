/** Where each request's D1 session starts: replicas only for session reads and lists, the primary for the rest. */
import { describe, expect, it } from "vitest";
import { sessionStart } from "../../worker/db/d1-session.ts";

const BOOKMARK = "0000000a-00000002-00004f7c-2f7f2a3c9b1e6a55b6cfb0d1fa40d1f3";

describe("sessionStart", () => {
  it.each([
    "/auth/v1/get-session",
    "/api/v1/me",
    "/auth/v1/list-sessions",
    "/auth/v1/list-accounts",
    "/auth/v1/organization/list",
    "/auth/v1/organization/list-members",
    "/auth/v1/api-key/list",
    "/auth/v1/passkey/list-user-passkeys",
  ])("GET %s may start on a replica, or at the client's bookmark", (path) => {
    expect(sessionStart("GET", path, undefined)).toBe("first-unconstrained");
    expect(sessionStart("GET", path, BOOKMARK)).toBe(BOOKMARK);
  });

  it.each([
    "/auth/v1/magic-link/verify",
    "/auth/v1/verify-email",
    "/auth/v1/oauth2/authorize",
    "/auth/v1/reset-password/abc",
    "/auth/v1/jwks",
  ])("GET %s (it can write or consume) starts on the primary, bookmark or not", (path) => {
    expect(sessionStart("GET", path, undefined)).toBe("first-primary");
    expect(sessionStart("GET", path, BOOKMARK)).toBe("first-primary");
  });

  it("every POST starts on the primary, even to a list path", () => {
    expect(sessionStart("POST", "/auth/v1/sign-in/email", BOOKMARK)).toBe("first-primary");
    expect(sessionStart("POST", "/auth/v1/list-sessions", undefined)).toBe("first-primary");
  });
});
