/**
 * When only some plugin runtime modules exist, the benchmark runs the "full" stack with the plugins
 * that do, and the peer with the same set: a derived authform config and a derived peer worker.
 */
import { access, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PLUGINS, type PluginName } from "../../src/config/plugins.ts";
import { pluginModulePath } from "../../src/generate/worker-entry.ts";
import { ROOT } from "./programs.ts";

/** The plugins whose module exists, minus any that need (or auto-include) one that does not. */
export async function runnablePlugins(
  wanted: PluginName[],
): Promise<{ run: PluginName[]; missing: PluginName[] }> {
  const missing: PluginName[] = [];
  for (const name of wanted) {
    await access(path.join(ROOT, "worker", pluginModulePath(name))).catch(() => missing.push(name));
  }
  let run = wanted.filter((n) => !missing.includes(n));
  for (let changed = true; changed; ) {
    const next = run.filter((n) =>
      [...(PLUGINS[n].requires ?? []), ...(PLUGINS[n].autoIncludes ?? [])].every((d) => run.includes(d)),
    );
    changed = next.length !== run.length;
    run = next;
  }
  return { run, missing };
}

/** A config like bench/configs/full.config.ts with only `plugins`; written where "authform" resolves. */
export async function writeDerivedConfig(file: string, app: string, plugins: PluginName[]): Promise<void> {
  await writeFile(
    file,
    `// Written by bench/run.ts for one run: the full config minus plugins without a runtime module yet.
import { defineAuth, defineConfig, defineDatabase } from "authform";

export default defineConfig({
  name: ${JSON.stringify(app)},
  providers: {
    database: defineDatabase("cloudflare-d1", { vars: { AUTHFORM_COUNT_D1_QUERIES: "1" } }),
    auth: defineAuth("better-auth", {
      emailAndPassword: { enabled: true },
      plugins: ${JSON.stringify(plugins)},
    }),
  },
});
`,
  );
}

/** The peer's Better Auth plugin call for each authform plugin name (upgradeAnonymous has none). */
const PEER_CALLS: Partial<Record<PluginName, RegExp>> = {
  emailOtp: /^\s*emailOTP\(\{[\s\S]*?^\s*\}\),\n/m,
  anonymous: /^\s*anonymous\(\),\n/m,
  magicLink: /^\s*magicLink\(\{[\s\S]*?^\s*\}\),\n/m,
  passkey: /^\s*passkey\(\),\n/m,
  jwt: /^\s*jwt\(\),\n/m,
  apiKey: /^\s*apiKey\(\),\n/m,
  organization: /^\s*organization\(\),\n/m,
  oauthProvider: /^\s*oauthProvider\(\{[^\n]*\}\),\n/m,
};

const PEER_IMPORTS: Partial<Record<PluginName, string>> = {
  emailOtp: "emailOTP",
  anonymous: "anonymous",
  magicLink: "magicLink",
  passkey: "passkey",
  jwt: "jwt",
  apiKey: "apiKey",
  organization: "organization",
  oauthProvider: "oauthProvider",
};

/** The two shapes of the stock peer: Better Auth built once per isolate, or on every request. */
export type PeerScope = "module" | "per-request";

export const PEER_ENTRIES: Record<PeerScope, string> = {
  module: "bench/peer/worker.ts",
  "per-request": "bench/peer/worker-per-request.ts",
};

/**
 * The peer with the plugins not in `keep` cut out of bench/peer/auth.ts (calls and imports), as a
 * user would, written next to `entryFile` with the entry for `scope` importing it. Returns the files.
 */
export async function writeDerivedPeer(
  entryFile: string,
  keep: PluginName[],
  scope: PeerScope,
): Promise<string[]> {
  let source = await readFile(path.join(ROOT, "bench", "peer", "auth.ts"), "utf8");
  for (const [name, call] of Object.entries(PEER_CALLS) as [PluginName, RegExp][]) {
    if (keep.includes(name)) continue;
    const cut = source.replace(call, "");
    if (cut === source) throw new Error(`bench/peer/auth.ts: cannot find the ${name} plugin call to remove`);
    source = cut;
    const binding = PEER_IMPORTS[name] as string;
    source = source
      .replace(new RegExp(`^import \\{ ${binding} \\} from "[^"]+";\\n`, "m"), "")
      .replace(new RegExp(`\\b${binding}, `), "")
      .replace(new RegExp(`, ${binding}\\b`), "");
  }
  source = source.replace(/^import \{\s*\} from "better-auth\/plugins";\n/m, "");
  const authFile = entryFile.replace(/\.ts$/, "-auth.ts");
  await writeFile(authFile, source);
  const entry = await readFile(path.join(ROOT, PEER_ENTRIES[scope]), "utf8");
  const derived = entry.replace('from "./auth.ts"', `from "./${path.basename(authFile)}"`);
  if (derived === entry) throw new Error(`${PEER_ENTRIES[scope]}: cannot find its import of ./auth.ts`);
  await writeFile(entryFile, derived);
  return [entryFile, authFile];
}
