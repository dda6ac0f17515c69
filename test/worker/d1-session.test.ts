/** Where each request's D1 session starts: replicas only for session reads and lists, the primary for the rest. */
import { describe, expect, it } from "vitest";
import { BOOKMARK_COOKIE, bookmarkCookie, sessionStart } from "../../worker/db/d1-session.ts";

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

describe("bookmarkCookie", () => {
  it.each([
    [`${BOOKMARK_COOKIE}=${BOOKMARK}`, BOOKMARK],
    [`a=1; ${BOOKMARK_COOKIE}=${BOOKMARK}; b=2`, BOOKMARK],
    [`better-auth.session_token=abc.def; ${BOOKMARK_COOKIE}=${BOOKMARK}`, BOOKMARK],
    [`a=1;${BOOKMARK_COOKIE}=${BOOKMARK}  ;b=2`, BOOKMARK],
    // The first whole name wins; a value or a longer name that contains it is not it.
    [`x${BOOKMARK_COOKIE}=1; a=${BOOKMARK_COOKIE}=2; ${BOOKMARK_COOKIE}=3; ${BOOKMARK_COOKIE}=4`, "3"],
    [`${BOOKMARK_COOKIE}x=1; ${BOOKMARK_COOKIE} =2`, undefined],
    [`a=1; ${BOOKMARK_COOKIE} ; b=2`, ""],
    [`${BOOKMARK_COOKIE}=a=b`, "a=b"],
    [`${BOOKMARK_COOKIE}=`, ""],
    ["a=1; b=2", undefined],
    ["", undefined],
  ])("in %j it finds %j", (header, expected) => {
    expect(bookmarkCookie(header)).toBe(expected);
  });

  it("finds what splitting the whole header on ; and = finds, for any mix of names, blanks and values", () => {
    // The reading it replaces: every cookie split apart, the first whose trimmed name is the bookmark's.
    const bySplitting = (header: string) => {
      for (const part of header.split(";")) {
        const [name, ...value] = part.trim().split("=");
        if (name === BOOKMARK_COOKIE) return value.join("=");
      }
      return undefined;
    };
    const pieces = [BOOKMARK_COOKIE, "=", ";", " ", "\t", "x", BOOKMARK, "a=1"];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 5000; i++) {
      const header = Array.from({ length: 1 + (next() % 10) }, () => pieces[next() % pieces.length]).join("");
      expect(bookmarkCookie(header), header).toBe(bySplitting(header));
    }
  });
});
