/** authform's public API: what a quickback.config.ts imports. */
export { defineAuth, defineConfig, defineDatabase, defineRuntime, defineStorage } from "./config/define.ts";
export type { PluginName } from "./config/plugins.ts";
export type { AuthformConfigInput, ResolvedConfig } from "./config/types.ts";
