/** The plugin catalogue lives in src/contract (shared with the Worker); config keeps this path for its readers. */
export {
  isPluginName,
  PLUGIN_NAMES,
  PLUGINS,
  type PluginInfo,
  type PluginName,
} from "../contract/plugins.ts";
