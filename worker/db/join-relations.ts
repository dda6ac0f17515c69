/**
 * The drizzle relations behind Better Auth's joins (`advanced.database.joins`, create-auth.ts). With
 * them the drizzle adapter reads a row and what it joins in one statement (`db.query.<model>` with
 * `with`): get-session's session + user is one D1 round trip instead of two.
 *
 * Only the joins Better Auth 1.7 asks for are declared: session → user and account → user (internal
 * adapter: findSession(s), findAccountOwnerByKey), user → accounts (findUserByEmail with accounts),
 * and the organization plugin's member → user / organization, organization → members / invitations,
 * invitation → organization. The drizzle adapter names a one-to-one relation after the joined model
 * and a one-to-many after the model plus "s"; a join without its relation here would fail loudly
 * (test/db/join-relations.test.ts asks every one). Relations never change the tables: drizzle-kit
 * and migrations/ read schema.ts only.
 */
import { relations } from "drizzle-orm";
import { invitation, member, organization } from "../auth/plugins/organization/schema.ts";
import { account, session, user } from "./core-schema.ts";

export const userRelations = relations(user, ({ many }) => ({
  accounts: many(account),
}));

export const sessionRelations = relations(session, ({ one }) => ({
  user: one(user, { fields: [session.userId], references: [user.id] }),
}));

export const accountRelations = relations(account, ({ one }) => ({
  user: one(user, { fields: [account.userId], references: [user.id] }),
}));

export const organizationRelations = relations(organization, ({ many }) => ({
  members: many(member),
  invitations: many(invitation),
}));

export const memberRelations = relations(member, ({ one }) => ({
  user: one(user, { fields: [member.userId], references: [user.id] }),
  organization: one(organization, { fields: [member.organizationId], references: [organization.id] }),
}));

export const invitationRelations = relations(invitation, ({ one }) => ({
  organization: one(organization, { fields: [invitation.organizationId], references: [organization.id] }),
}));

/** The relations, keyed for `drizzle(d1, { schema: { ...schema, ...joinRelations } })`. */
export const joinRelations = {
  userRelations,
  sessionRelations,
  accountRelations,
  organizationRelations,
  memberRelations,
  invitationRelations,
};
