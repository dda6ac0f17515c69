/** The login page's `?redirect=` check: same-origin paths and the stack's own origins only, whatever the encoding. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeRedirect } from "../../account/src/redirect.ts";

const HERE = "https://account.example.com/login?redirect=x";
const TRUSTED = ["https://api.example.com", "https://app.example.com/some/path"];
const HOME = "https://account.example.com/account";
const check = (raw: string | null) => safeRedirect(raw, HERE, TRUSTED);

describe("safeRedirect", () => {
  it.each([
    ["/account", "https://account.example.com/account"],
    ["/consent?client_id=a&scope=openid", "https://account.example.com/consent?client_id=a&scope=openid"],
    [
      "https://api.example.com/auth/v1/oauth2/authorize?client_id=a",
      "https://api.example.com/auth/v1/oauth2/authorize?client_id=a",
    ],
    ["https://app.example.com/dashboard", "https://app.example.com/dashboard"],
    ["https://account.example.com/account#keys", "https://account.example.com/account#keys"],
    // Percent-encoded slashes stay inside the path: a page on this origin, not another host.
    ["/%2F%2Fevil.com", "https://account.example.com/%2F%2Fevil.com"],
    // A scheme-relative path with this page's scheme is a path here, as the browser reads it too.
    ["https:evil.com", "https://account.example.com/evil.com"],
  ])("allows %s", (raw, expected) => {
    expect(check(raw)).toBe(expected);
  });

  it.each([
    null,
    "",
    "   ",
    "//evil.com",
    "//evil.com/account",
    "///evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "/\\/evil.com",
    "https://evil.com",
    "https://evil.com/https://api.example.com",
    "https://api.example.com.evil.com/",
    "https://api.example.com@evil.com/",
    "https://user:pass@api.example.com/",
    "http://api.example.com/", // the trusted origin is https
    "https://api.example.com:8443/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "javascript%3Aalert(1)".replace("%3A", ":"),
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "\u0000https://evil.com",
    "/\t/evil.com",
    "https://evil.com\\@api.example.com",
  ])("refuses %j and sends the user to /account", (raw) => {
    expect(check(raw)).toBe(HOME);
  });

  it("decodes nothing itself: an encoded absolute URL is a relative path here", () => {
    expect(check("https%3A%2F%2Fevil.com")).toBe("https://account.example.com/https%3A%2F%2Fevil.com");
    expect(check(decodeURIComponent("%2F%2Fevil.com"))).toBe(HOME);
    expect(check(decodeURIComponent("%2F%5Cevil.com"))).toBe(HOME);
  });

  it("never leaves the trusted origins, for any input", () => {
    const allowed = new Set([
      "https://account.example.com",
      "https://api.example.com",
      "https://app.example.com",
    ]);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.webUrl(),
          fc
            .constantFrom("/", "//", "\\", "/\\", "https://", "javascript:")
            .chain((p) => fc.string().map((s) => p + s)),
        ),
        (raw) => {
          expect(allowed.has(new URL(check(raw)).origin)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
