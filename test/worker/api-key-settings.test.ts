/** The apiKey plugin's runtime settings and where it reads a key from: defaults, config overrides, header first. */
import { describe, expect, it } from "vitest";
import { apiKeyFromRequest, KEY_SESSION_PATHS } from "../../worker/auth/plugins/api-key/key-from-request.ts";
import { apiKeySettings } from "../../worker/auth/plugins/api-key/options.ts";

describe("apiKeySettings", () => {
  it("leaves the per-key rate limit off by default, at 1000 a minute when turned on", () => {
    expect(apiKeySettings({})).toEqual({
      rateLimit: { enabled: false, timeWindow: 60_000, maxRequests: 1000 },
    });
    expect(apiKeySettings({ rateLimit: { enabled: true } }).rateLimit).toEqual({
      enabled: true,
      timeWindow: 60_000,
      maxRequests: 1000,
    });
  });

  it("takes the config's values", () => {
    expect(apiKeySettings({ rateLimit: { enabled: true, timeWindow: 3_600_000, maxRequests: 50 } })).toEqual({
      rateLimit: { enabled: true, timeWindow: 3_600_000, maxRequests: 50 },
    });
  });
});

describe("apiKeyFromRequest", () => {
  const url = (q: string) => `https://api.example.com/auth/v1/get-session${q}`;

  it.each([
    ["the header alone", new Headers({ "x-api-key": "H" }), url(""), "H"],
    ["?api_key=", new Headers(), url("?api_key=Q"), "Q"],
    ["?key=", new Headers(), url("?key=K"), "K"],
    ["the header over ?api_key=", new Headers({ "x-api-key": "H" }), url("?api_key=Q&key=K"), "H"],
    ["?api_key= over ?key=", new Headers(), url("?key=K&api_key=Q"), "Q"],
    ["nothing", new Headers(), url("?other=1"), null],
    ["an empty header as absent", new Headers({ "x-api-key": "" }), url("?key=K"), "K"],
  ])("reads %s", (_what, headers, requestUrl, expected) => {
    expect(apiKeyFromRequest(headers, requestUrl)).toBe(expected);
  });

  it("lets keys act only on read-only Better Auth endpoints", () => {
    expect([...KEY_SESSION_PATHS].every((p) => p === "/get-session" || /\/(list|get-)/.test(p))).toBe(true);
    for (const path of [
      "/api-key/create",
      "/update-user",
      "/passkey/generate-register-options",
      "/oauth2/consent",
    ]) {
      expect(KEY_SESSION_PATHS.has(path), path).toBe(false);
    }
  });
});
