/** Which registrations authform marks as native apps: no application_type, and only http redirects on exact loopback hosts. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isLoopbackHttpRedirect,
  isUntypedLoopbackClient,
} from "../../worker/auth/plugins/oauth-provider/loopback-registration.ts";

describe("isLoopbackHttpRedirect", () => {
  it.each([
    "http://127.0.0.1/callback",
    "http://127.0.0.1:33418/callback",
    "http://localhost:6274/oauth/callback",
    "HTTP://LOCALHOST:1/x",
    "http://[::1]:8080/cb",
    "http://[::1]/cb",
  ])("accepts %s", (uri) => expect(isLoopbackHttpRedirect(uri)).toBe(true));

  it.each([
    "https://127.0.0.1/callback",
    "http://127.0.0.2/callback",
    "http://127.1/callback",
    "http://2130706433/callback",
    "http://localhost./callback",
    "http://localhost.example.com/callback",
    "http://127.0.0.1.nip.io/callback",
    "http://user@127.0.0.1/callback",
    "http://evil.com@localhost/callback",
    "http://example.com/callback",
    "com.example.app:/callback",
    "",
    42,
  ])("refuses %s", (uri) => expect(isLoopbackHttpRedirect(uri)).toBe(false));

  it("accepts any port on 127.0.0.1 and any path", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), fc.webPath(), (port, path) =>
        isLoopbackHttpRedirect(`http://127.0.0.1:${port}${path.startsWith("/") ? path : `/${path}`}`),
      ),
    );
  });

  it("never accepts a host that is not exactly a loopback name", () => {
    fc.assert(
      fc.property(fc.domain(), (domain) => {
        fc.pre(!["localhost"].includes(domain.toLowerCase()));
        return !isLoopbackHttpRedirect(`http://${domain}/cb`);
      }),
    );
  });
});

describe("isUntypedLoopbackClient", () => {
  it("is a native app only when no type is given and every redirect is loopback http", () => {
    expect(
      isUntypedLoopbackClient({ redirect_uris: ["http://127.0.0.1:1/cb", "http://localhost:2/cb"] }),
    ).toBe(true);
    expect(
      isUntypedLoopbackClient({ redirect_uris: ["http://127.0.0.1:1/cb"], application_type: "web" }),
    ).toBe(false);
    expect(
      isUntypedLoopbackClient({ redirect_uris: ["http://127.0.0.1:1/cb", "https://a.example.com/cb"] }),
    ).toBe(false);
    expect(isUntypedLoopbackClient({ redirect_uris: [] })).toBe(false);
    expect(isUntypedLoopbackClient({})).toBe(false);
    expect(isUntypedLoopbackClient(null)).toBe(false);
  });
});
