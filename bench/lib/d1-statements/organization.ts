/** Organizations: create one, list and read it, make it active, invite a member, list the members. */
import { randomBytes } from "node:crypto";
import type { SignedInUser } from "./account.ts";
import { expectThat, jsonOf, type RouteCounter } from "./route-counter.ts";

interface Organization {
  id: string;
  name: string;
}

export async function countOrganizationRoutes(counter: RouteCounter, user: SignedInUser): Promise<void> {
  const { cookie } = user;
  const name = "Counted Org";
  const slug = `counted-${randomBytes(4).toString("hex")}`;
  const created = await counter.post(
    "POST /auth/v1/organization/create",
    "/auth/v1/organization/create",
    { name, slug },
    { cookie },
  );
  const org = jsonOf<Organization>(created);
  expectThat("organization/create", org.name === name, `an organization named ${name}`, created);

  const list = await counter.get("GET /auth/v1/organization/list", "/auth/v1/organization/list", { cookie });
  expectThat(
    "organization/list",
    jsonOf<Organization[]>(list).some((o) => o.id === org.id),
    "the new organization",
    list,
  );

  const full = await counter.get(
    "GET /auth/v1/organization/get-full-organization",
    `/auth/v1/organization/get-full-organization?organizationId=${org.id}`,
    { cookie },
  );
  const members = jsonOf<{ name: string; members: { userId: string; role: string }[] }>(full).members;
  expectThat(
    "get-full-organization",
    members.some((m) => m.userId === user.userId && m.role === "owner"),
    "the creator as owner",
    full,
  );

  const active = await counter.post(
    "POST /auth/v1/organization/set-active",
    "/auth/v1/organization/set-active",
    { organizationId: org.id },
    { cookie },
  );
  expectThat(
    "set-active",
    jsonOf<Organization>(active).id === org.id,
    "the organization made active",
    active,
  );

  const invitee = `invitee-${randomBytes(4).toString("hex")}@example.com`;
  const invited = await counter.post(
    "POST /auth/v1/organization/invite-member",
    "/auth/v1/organization/invite-member",
    { email: invitee, role: "member", organizationId: org.id },
    { cookie },
  );
  expectThat(
    "invite-member",
    jsonOf<{ email: string }>(invited).email === invitee,
    `an invitation to ${invitee}`,
    invited,
  );

  const listed = await counter.get(
    "GET /auth/v1/organization/list-members",
    `/auth/v1/organization/list-members?organizationId=${org.id}`,
    { cookie },
  );
  const rows = jsonOf<{ members: { userId: string }[] }>(listed).members;
  expectThat(
    "list-members",
    rows.some((m) => m.userId === user.userId),
    "the owner among the members",
    listed,
  );
}
