/**
 * Plugins' runtime modules loaded the way the generated entry loads them (worker/<pluginModulePath>,
 * export `<name>Plugin`), for tests that build the Worker or Better Auth without a stack; and a
 * config with every plugin on.
 */
import path from "node:path";
import { parseConfig } from "../../src/config/parse.ts";
import type { ResolvedConfig } from "../../src/config/types.ts";
import { PLUGIN_NAMES, type PluginName } from "../../src/contract/plugins.ts";
import { pluginModulePath } from "../../src/generate/worker-entry.ts";
import { defineAuth, defineConfig } from "../../src/index.ts";
import type { PluginModule } from "../../worker/spec.ts";
import { pluginsOn } from "./plugins-on.ts";
import { ROOT } from "./stack.ts";

export async function pluginModule(name: PluginName): Promise<PluginModule> {
  const file = path.join(ROOT, "worker", pluginModulePath(name));
  const module = (await import(/* @vite-ignore */ file)) as Record<string, PluginModule>;
  const plugin = module[`${name}Plugin`];
  if (!plugin) throw new Error(`${pluginModulePath(name)} exports no ${name}Plugin`);
  return plugin;
}

/** The named plugins' modules, in the order given (the generated entry's: the catalogue's). */
export async function pluginModules(
  names: readonly PluginName[],
): Promise<Partial<Record<PluginName, PluginModule>>> {
  const plugins: Partial<Record<PluginName, PluginModule>> = {};
  for (const name of names) plugins[name] = await pluginModule(name);
  return plugins;
}

/** Email + password with every plugin in the catalogue on (sample options where one is required). */
export function everyPluginConfig(name: string): ResolvedConfig {
  return parseConfig(
    defineConfig({
      name,
      providers: {
        auth: defineAuth("better-auth", {
          emailAndPassword: { enabled: true },
          plugins: pluginsOn(PLUGIN_NAMES) as never,
        }),
      },
    }),
  );
}
