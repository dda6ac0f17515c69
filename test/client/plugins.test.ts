/** The typed client's plugin table follows the catalogue: every plugin has its client, auto-includes agree. */
import { describe, expect, it } from "vitest";
import { AUTO_INCLUDES, CLIENT_PLUGINS, enabledPlugins } from "../../src/client/plugins.ts";
import { PLUGIN_NAMES, PLUGINS } from "../../src/contract/plugins.ts";

describe("authform/client plugins", () => {
  it("has a client plugin for every catalogue plugin", () => {
    expect(Object.keys(CLIENT_PLUGINS).sort()).toEqual([...PLUGIN_NAMES].sort());
  });

  it("auto-includes what the catalogue auto-includes", () => {
    for (const name of PLUGIN_NAMES) {
      expect((AUTO_INCLUDES as Record<string, readonly string[]>)[name] ?? [], name).toEqual(
        PLUGINS[name].autoIncludes ?? [],
      );
    }
  });

  it("reads both forms of `plugins`, drops those set to false, adds auto-includes", () => {
    expect(enabledPlugins(["organization", "passkey"])).toEqual(["passkey", "apiKey", "organization"]);
    expect(enabledPlugins({ oauthProvider: true, passkey: false, emailOtp: {} })).toEqual([
      "emailOtp",
      "jwt",
      "oauthProvider",
    ]);
    expect(enabledPlugins([])).toEqual([]);
  });
});
