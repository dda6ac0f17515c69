/** A config's `plugins` (object form) switching the named plugins on, with sample options for those that need some. */
import type { PluginName } from "../../src/contract/plugins.ts";

/** Options a plugin cannot be switched on without (src/config/plugin-options/). */
const REQUIRED_OPTIONS: Partial<Record<PluginName, Record<string, unknown>>> = {
  admin: { userEmails: ["admin@example.com"] },
};

export function pluginsOn(names: readonly PluginName[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, REQUIRED_OPTIONS[name] ?? true]));
}
