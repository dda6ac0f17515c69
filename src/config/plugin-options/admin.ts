/**
 * The admin plugin's options (object form): who the admins are, by email, and the other roles admins
 * may give users. An address counts only once its owner has verified it (worker/auth/plugins/admin/).
 */
import * as z from "zod";
import { preview } from "../describe-value.ts";
import { report } from "../messages.ts";

/** Roles Better Auth's admin plugin defines itself; the config names only the others. */
const BUILT_IN_ROLES = ["admin", "user"];
const ROLE_NAME = /^[a-z][a-z0-9-]{0,31}$/;

const adminEmail = z
  .email({ error: (iss) => `expected an email address, got ${preview(iss.input)}` })
  // Better Auth stores addresses lowercased; compare the same way.
  .transform((email) => email.toLowerCase());

const roleName = z
  .string({ error: (iss) => `expected a role name, got ${preview(iss.input)}` })
  .regex(ROLE_NAME, {
    error: (iss) =>
      `expected a lowercase name (a-z, 0-9, "-", at most 32, starting with a letter), got ${preview(iss.input)}`,
  })
  .refine((name) => !BUILT_IN_ROLES.includes(name), {
    error: (iss) =>
      `${preview(iss.input)} is built in: admins come from userEmails and everyone else is "user"; list only other roles`,
  });

/** Each entry once; `key` says when two entries are the same (addresses ignore case). */
const noRepeats =
  (what: string, key: (value: string) => string = (v) => v) =>
  (values: string[], ctx: z.core.$RefinementCtx<string[]>) => {
    const seen = new Map<string, number>();
    values.forEach((value, index) => {
      const first = seen.get(key(value));
      if (first === undefined) seen.set(key(value), index);
      else
        report(ctx, [
          {
            path: [index],
            message: `${what} ${preview(value)} is listed twice (first at [${first}])`,
            fix: "remove one",
          },
        ]);
    });
  };

export const adminOptions = z
  .strictObject({
    userEmails: z
      .array(adminEmail, {
        error: (iss) =>
          iss.input === undefined
            ? 'is required: the email addresses of the admins, e.g. userEmails: ["you@example.com"]'
            : `expected a list of email addresses, got ${preview(iss.input)}`,
      })
      .min(1, { error: "expected at least one address: an admin plugin without admins serves only 403s" })
      .max(100, { error: (iss) => `expected at most 100 addresses, got ${preview(iss.input)}` })
      .superRefine(noRepeats("the address"))
      .describe(
        "The admins' email addresses. An address counts once its owner has verified it; removing one takes the rights away at once.",
      ),
    roles: z
      .array(roleName, { error: (iss) => `expected a list of role names, got ${preview(iss.input)}` })
      .max(20, { error: (iss) => `expected at most 20 roles, got ${preview(iss.input)}` })
      .superRefine(noRepeats("the role"))
      .optional()
      .describe(
        'Roles admins may give users besides "user" (e.g. "support"). They grant no admin rights; your app reads them from the session. @default []',
      ),
  })
  .describe("Options of the admin plugin (object form).");
