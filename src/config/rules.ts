/** Rules that span several plugin settings: requirements, auto-includes that cannot be off, a way to sign in. */
import { PLUGIN_NAMES, PLUGINS, type PluginName, signInPlugins } from "../contract/plugins.ts";
import type { SocialProviderId } from "../contract/social-providers.ts";
import type { PathIssue } from "./messages.ts";

/** The plugins a config asked for, whichever form it used. */
export interface PluginSelection {
  form: "array" | "object";
  /** Plugins switched on, with their options (`{}` for defaults). */
  on: Partial<Record<PluginName, Record<string, unknown>>>;
  /** Plugins the object form set to `false`. */
  off: PluginName[];
  /** Where each plugin was written (array index or object key), so errors point at it. */
  at: Partial<Record<PluginName, number | string>>;
}

/**
 * Why each auto-include is needed, for the error when a config turns it off. Wording stays in the
 * config layer: the catalogue is bundled into the Worker, which never prints it.
 */
const AUTO_INCLUDE_REASONS: Partial<Record<PluginName, string>> = {
  oauthProvider: "@better-auth/oauth-provider signs its access tokens with jwt",
  organization: "API keys carry organization context for scripts and machines",
};

function pluginPath(selection: PluginSelection, name: PluginName): (string | number)[] {
  return ["plugins", selection.at[name] ?? name];
}

function enableFix(selection: PluginSelection, name: PluginName): string {
  if (selection.form === "array") return `add "${name}" to plugins`;
  return selection.off.includes(name) ? `set ${name}: true in plugins` : `add ${name}: true to plugins`;
}

/** Every rule the auth options break; paths are relative to the auth options. */
export function checkAuthRules(auth: {
  /** Absent when the config does not write it: password sign-in is then off. */
  emailAndPassword?: { enabled: boolean; allowSignUp?: boolean };
  plugins: PluginSelection;
  socialProviders?: Partial<Record<SocialProviderId, unknown>>;
  genericOAuth?: unknown[];
  accountLinking?: { trustedProviders?: SocialProviderId[] };
  oauthProxy?: unknown;
}): PathIssue[] {
  const { plugins } = auth;
  const issues: PathIssue[] = [];
  for (const name of PLUGIN_NAMES) {
    if (!plugins.on[name]) continue;
    for (const needed of PLUGINS[name].requires ?? []) {
      if (plugins.on[needed]) continue;
      issues.push({
        path: pluginPath(plugins, name),
        message: `"${name}" needs "${needed}", which is not enabled`,
        fix: enableFix(plugins, needed),
      });
    }
    for (const included of PLUGINS[name].autoIncludes ?? []) {
      if (!plugins.off.includes(included)) continue;
      const reason = AUTO_INCLUDE_REASONS[name] ?? `${name} does not work without it`;
      issues.push({
        path: pluginPath(plugins, included),
        message: `"${included}" cannot be false while "${name}" is on: ${reason}`,
        fix: `remove ${included}: false (it is included automatically) or turn ${name} off`,
      });
    }
    // It signs a person up with email + password: without password sign-up every call is a 403.
    if (PLUGINS[name].needsPasswordSignUp) {
      const { enabled, allowSignUp = true } = auth.emailAndPassword ?? { enabled: false };
      if (!enabled || !allowSignUp) {
        const off = enabled ? "emailAndPassword.allowSignUp is false" : "emailAndPassword is disabled";
        issues.push({
          path: pluginPath(plugins, name),
          message: `"${name}" turns a guest into an email + password user, but ${off}`,
          fix: enabled
            ? `set emailAndPassword.allowSignUp to true, or remove ${name}`
            : `set emailAndPassword.enabled to true, or remove ${name}`,
        });
      }
    }
    // It only asks for a second factor after a password, and takes the password to turn it on or off.
    if (PLUGINS[name].needsPasswordSignIn && !auth.emailAndPassword?.enabled) {
      issues.push({
        path: pluginPath(plugins, name),
        message: `"${name}" works with password sign-in, but ${auth.emailAndPassword ? "emailAndPassword is disabled" : "password sign-in is off unless the config enables it"}`,
        fix: `set emailAndPassword.enabled to true, or remove ${name}`,
      });
    }
  }
  const social = Object.keys(auth.socialProviders ?? {});
  auth.accountLinking?.trustedProviders?.forEach((id, index) => {
    if (social.includes(id)) return;
    issues.push({
      path: ["accountLinking", "trustedProviders", index],
      message: `"${id}" is not in socialProviders`,
      fix: `add ${id}: {} to socialProviders, or remove it here`,
    });
  });
  if (auth.oauthProxy !== undefined && social.length === 0) {
    issues.push({
      path: ["oauthProxy"],
      message: "oauthProxy forwards social sign-ins to previews, but socialProviders names no provider",
      fix: "add a provider to socialProviders (e.g. google: {}), or remove oauthProxy",
    });
  }
  const signIn = signInPlugins();
  const generic = auth.genericOAuth?.length ?? 0;
  if (
    !auth.emailAndPassword?.enabled &&
    social.length + generic === 0 &&
    !signIn.some((name) => plugins.on[name])
  ) {
    const passwords = auth.emailAndPassword
      ? "emailAndPassword is disabled"
      : "password sign-in is off unless the config enables it";
    issues.push({
      path: [],
      message: `no way to sign in: ${passwords} and no sign-in plugin is enabled`,
      fix: `choose one or more: emailAndPassword: { enabled: true }, or ${signIn.map((n) => `"${n}"`).join(", ")} in plugins`,
    });
  }
  return issues;
}
