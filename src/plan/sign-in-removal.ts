/**
 * Password sign-in leaving a stage: which users it strands, and whether a run may drop it without
 * being told to. Pure: the counts come from the stage's D1 (src/provision/password-users.ts).
 */
import { UserError } from "../user-error.ts";
import type { DeploymentPlan } from "./types.ts";

/** The stage's password users, as its D1 holds them; a string says why they could not be counted. */
export type PasswordUsers = { withPassword: number; stranded: number } | string;

/** The flag that lets a run drop password sign-in that the config does not mention. */
export const ALLOW_SIGN_IN_REMOVAL_FLAG = "--allow-sign-in-removal";

/**
 * One query counting users with a password (a `credential` account), and those of them that this
 * plan leaves no way in. A password user can still get in with:
 *  - another account row (any provider but `credential`);
 *  - a passkey, when this plan runs the passkey plugin;
 *  - a magic link or an email code, when this plan runs magicLink or emailOtp, but only with a
 *    verified email: an unverified address may not be the password holder's inbox.
 * Anonymous sign-in never reaches an existing account.
 */
export function passwordUsersSql(plan: Pick<DeploymentPlan, "plugins">): string {
  const ways = [
    "NOT EXISTS (SELECT 1 FROM account o WHERE o.userId = u.id AND o.providerId <> 'credential')",
  ];
  if (plan.plugins.includes("passkey"))
    ways.push("NOT EXISTS (SELECT 1 FROM passkey p WHERE p.userId = u.id)");
  if (plan.plugins.includes("magicLink") || plan.plugins.includes("emailOtp"))
    ways.push("u.emailVerified = 0");
  const hasPassword =
    "EXISTS (SELECT 1 FROM account c WHERE c.userId = u.id AND c.providerId = 'credential')";
  return [
    `SELECT (SELECT COUNT(*) FROM user u WHERE ${hasPassword}) AS withPassword,`,
    `(SELECT COUNT(*) FROM user u WHERE ${hasPassword} AND ${ways.join(" AND ")}) AS stranded`,
  ].join(" ");
}

/** How `--plan` and the guard describe the users behind password sign-in. */
export function describePasswordUsers(users: PasswordUsers | undefined): string {
  if (users === undefined) return "users not counted";
  if (typeof users === "string") return `count unavailable (${users})`;
  const noun = (n: number) => (n === 1 ? "user" : "users");
  return `${users.stranded} ${noun(users.stranded)} with a password and no other way in (of ${users.withPassword} with a password)`;
}

/** Whether the stage ran password sign-in: its recorded sign-in methods, else password users in its D1. */
export function stageHadPasswords(recorded: string[] | undefined, users: PasswordUsers | undefined): boolean {
  if (recorded) return recorded.includes("emailAndPassword");
  return typeof users === "object" && users.withPassword > 0;
}

export class SignInRemovalError extends UserError {
  override name = "SignInRemovalError";
}

/**
 * Stops a run that would turn password sign-in off on a stage that had it, when the config never
 * said so: before this default changed, such a config ran passwords, and its users would be locked out.
 */
export function checkSignInRemoval(input: {
  plan: DeploymentPlan;
  /** Whether the config writes emailAndPassword at all. */
  stated: boolean;
  hadPasswords: boolean;
  users: PasswordUsers | undefined;
  allowed: boolean;
}): void {
  const { plan } = input;
  if (plan.manifest.emailAndPassword.enabled || input.stated || input.allowed || !input.hadPasswords) return;
  throw new SignInRemovalError(
    [
      `Stage ${plan.stage} runs password sign-in, and this config would turn it off without saying so: password sign-in is now off unless the config enables it.`,
      `  Users: ${describePasswordUsers(input.users)}.`,
      "Nothing was provisioned. Choose one:",
      "  • keep passwords:  emailAndPassword: { enabled: true } in defineAuth(...)",
      `  • drop passwords:  emailAndPassword: { enabled: false }, or re-run with ${ALLOW_SIGN_IN_REMOVAL_FLAG}`,
    ].join("\n"),
  );
}
