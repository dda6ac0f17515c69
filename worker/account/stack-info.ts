/** What the Account SPA knows of its stack: rendered by the Worker into each page from the same spec it runs. */
import { PLUGINS, type PluginName, type SignInMethod } from "../../src/contract/plugins.ts";
import { trustedOrigins } from "../auth/origins.ts";
import { enrollmentRequired } from "../auth/plugins/two-factor/options.ts";
import type { WorkerEnv } from "../env.ts";
import type { WorkerSpec } from "../spec.ts";

export interface StackInfo {
  appName: string;
  /** Where Better Auth is mounted, e.g. /auth/v1. */
  authBasePath: string;
  /** Enabled plugin names (the config's, with auto-included ones). */
  plugins: string[];
  emailAndPassword: boolean;
  /** How a person signs in besides email + password: each enabled plugin's sign-in method in the catalogue. */
  signInMethods: SignInMethod[];
  /**
   * Social providers this Worker can sign in with (configured, and given their credentials): the
   * built-in ones in catalogue order, then genericOAuth's in config order.
   */
  socialProviders: { id: string; label: string }[];
  /** The length a password must have (sign-up, change and reset share the rule). */
  passwordLength: { min: number; max: number };
  /** Whether email + password sign-up is open. */
  signUp: boolean;
  /** `twoFactor: { required: true }`: a signed-in user without two-factor can only enroll. */
  twoFactorRequired: boolean;
  /**
   * Origins `?redirect=` may point to besides the page's own: the ones Better Auth and CORS trust
   * (BETTER_AUTH_URL, ACCOUNT_URL, APP_URL and runtime.trustedOrigins).
   */
  trustedOrigins: string[];
  /** With the admin plugin: the roles admins may give users besides "user" (the config's admin.roles). */
  adminRoles: string[];
}

export function stackInfo(env: WorkerEnv, spec: WorkerSpec): StackInfo {
  const { manifest } = spec;
  return {
    appName: env.APP_NAME,
    authBasePath: manifest.basePath,
    plugins: Object.keys(manifest.plugins).sort(),
    emailAndPassword: manifest.emailAndPassword.enabled,
    signInMethods: Object.keys(manifest.plugins).flatMap((name) => PLUGINS[name as PluginName].signIn ?? []),
    socialProviders: spec.social?.buttons(env, manifest) ?? [],
    passwordLength: {
      min: manifest.emailAndPassword.minPasswordLength,
      max: manifest.emailAndPassword.maxPasswordLength,
    },
    signUp: manifest.emailAndPassword.enabled && manifest.emailAndPassword.allowSignUp,
    twoFactorRequired: enrollmentRequired(manifest),
    trustedOrigins: trustedOrigins(env),
    adminRoles: adminRolesOf(manifest.plugins.admin),
  };
}

function adminRolesOf(options: unknown): string[] {
  const roles = (options as { roles?: unknown } | undefined)?.roles;
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [];
}
