/** The config layer's public face: define* helpers, parsing, loading, errors, and the plugin catalogue. */
export {
  isPluginName,
  PLUGIN_NAMES,
  PLUGINS,
  type PluginInfo,
  type PluginName,
} from "../contract/plugins.ts";
export { defineAuth, defineConfig, defineDatabase, defineRuntime, defineStorage } from "./define.ts";
export { ConfigError, ConfigFileError, type ConfigIssue } from "./errors.ts";
export { loadConfig } from "./load.ts";
export { parseConfig } from "./parse.ts";
export { DEFAULT_COMPATIBILITY_DATE } from "./schema.ts";
export type * from "./types.ts";
