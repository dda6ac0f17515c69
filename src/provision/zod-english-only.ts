/**
 * An esbuild plugin that keeps only zod's English messages in the Worker bundle.
 *
 * zod's `core` namespace re-exports every locale (`export * as locales`), and code that reads the
 * namespace as a value keeps all of it: @better-auth/oauth-provider calls `z.core.toDotPath`, so
 * with oauthProvider on, the bundle carried 64 locales (about 270 KB minified, 13% of the
 * full-plugin bundle) that every isolate parses and evaluates. Nothing in the Worker switches
 * zod's locale (zod configures English itself, from locales/en.js), so the namespace is cut to
 * `en` here. Code that asked for another locale would get `undefined` and fail its test.
 */
import path from "node:path";
import type { Plugin } from "esbuild";

const NAMESPACE = "authform-zod-locales";
const SUFFIX = "#english-only";
/** zod's own modules that import the locale index: v4/core/index.js and v4/classic/external.js. */
const IMPORTER = /[\\/]zod[\\/]v4[\\/](core|classic)[\\/][^\\/]+\.js$/;

export function zodEnglishOnly(): Plugin {
  return {
    name: "authform-zod-english-only",
    setup(build) {
      build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
        if (!IMPORTER.test(args.importer)) return undefined;
        // One module per zod copy (its locales folder); named so it is not taken for a file.
        return {
          path: `${path.resolve(path.dirname(args.importer), "../locales")}${SUFFIX}`,
          namespace: NAMESPACE,
        };
      });
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const locales = args.path.slice(0, -SUFFIX.length);
        return {
          contents: `export { default as en } from ${JSON.stringify(path.join(locales, "en.js"))};\n`,
          resolveDir: locales,
          loader: "js",
        };
      });
    },
  };
}
