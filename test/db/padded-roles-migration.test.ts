/**
 * migrations/0003: organization roles stored padded before authform refused them ("owner ",
 * "admin, owner"), which Better Auth 1.7.16+ trims into owner, are neutralised on upgrade; exact
 * roles, comma lists included, are left alone.
 */
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../support/apply-migrations.ts";

const MIGRATION = "0003_neutralize_padded_roles.sql";
const NOW = Date.now();

let mf: Miniflare;
let db: D1Database;

beforeAll(async () => {
  mf = new Miniflare({ modules: true, script: "export default {}", d1Databases: { DB: "roles" } });
  db = await mf.getD1Database("DB");
  await applyMigrations(db, (file) => file < MIGRATION);
  await db.batch([
    db.prepare(
      "INSERT INTO user (id, name, email) VALUES ('u1', 'A', 'a@x.test'), ('u2', 'B', 'b@x.test'), ('u3', 'C', 'c@x.test'), ('u4', 'D', 'd@x.test'), ('u5', 'E', 'e@x.test')",
    ),
    db
      .prepare("INSERT INTO organization (id, name, slug, createdAt) VALUES ('o1', 'Org', 'org', ?)")
      .bind(NOW),
    db
      .prepare(
        `INSERT INTO member (id, organizationId, userId, role, createdAt) VALUES
          ('m-owner', 'o1', 'u1', 'owner', ?1), ('m-list', 'o1', 'u2', 'admin,member', ?1),
          ('m-padded', 'o1', 'u3', 'owner ', ?1), ('m-spaced-list', 'o1', 'u4', 'admin, owner', ?1),
          ('m-tab', 'o1', 'u5', char(9) || 'owner', ?1)`,
      )
      .bind(NOW),
    db
      .prepare(
        `INSERT INTO invitation (id, organizationId, email, role, status, expiresAt, inviterId) VALUES
          ('i-exact', 'o1', 'f@x.test', 'admin', 'pending', ?1, 'u1'),
          ('i-padded', 'o1', 'g@x.test', 'owner ', 'pending', ?1, 'u1'),
          ('i-accepted', 'o1', 'h@x.test', 'admin, owner', 'accepted', ?1, 'u1')`,
      )
      .bind(NOW + 86_400_000),
  ]);
  await applyMigrations(db, (file) => file === MIGRATION);
});

afterAll(async () => {
  await mf?.dispose();
});

async function column(table: string, field: string): Promise<Record<string, string>> {
  const { results } = await db
    .prepare(`SELECT id, ${field} AS value FROM ${table}`)
    .all<{ id: string; value: string }>();
  return Object.fromEntries(results.map((row) => [row.id, row.value]));
}

describe("migration 0003: padded organization roles", () => {
  it("turns padded member roles into the default role and leaves exact ones, lists included", async () => {
    expect(await column("member", "role")).toEqual({
      "m-owner": "owner",
      "m-list": "admin,member",
      "m-padded": "member",
      "m-spaced-list": "member",
      "m-tab": "member",
    });
  });

  it("cancels pending invitations with a padded role, and touches no other invitation", async () => {
    expect(await column("invitation", "status")).toEqual({
      "i-exact": "pending",
      "i-padded": "canceled",
      "i-accepted": "accepted",
    });
    expect(await column("invitation", "role")).toMatchObject({ "i-padded": "owner " });
  });
});
