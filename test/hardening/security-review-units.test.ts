/** The security review's pure checks: how organization role names are read and which spellings are refused. */
import { describe, expect, it } from "vitest";
import { memberRoles } from "../../worker/api/org-role.ts";
import { roleNamesAreExact } from "../../worker/auth/plugins/organization/role-names.ts";

describe("memberRoles", () => {
  it("reads a stored role list the way Better Auth's permission check does", () => {
    expect(memberRoles("owner")).toEqual(["owner"]);
    expect(memberRoles("admin,member")).toEqual(["admin", "member"]);
    // Better Auth splits without trimming: " owner" and "owner " are no role there, so none here.
    expect(memberRoles("admin, owner")).toEqual(["admin"]);
    expect(memberRoles("owner ")).toEqual([]);
    expect(memberRoles("admin,,member,")).toEqual(["admin", "member"]);
    expect(memberRoles("")).toEqual([]);
  });
});

describe("roleNamesAreExact", () => {
  it.each([["member"], ["admin,member"], [["admin", "member"]], [["admin,member", "owner"]], [undefined]])(
    "takes %j",
    (role) => {
      expect(roleNamesAreExact(role)).toBe(true);
    },
  );

  it.each([
    ["owner "],
    [" owner"],
    ["admin, owner"],
    ["admin,,owner"],
    [","],
    [""],
    [[]],
    [["admin", " owner"]],
    [["admin", ""]],
    [["admin", 1]],
    [{ role: "owner" }],
    [42],
    [null],
    ["owner\t"],
  ])("refuses %j", (role) => {
    expect(roleNamesAreExact(role)).toBe(false);
  });
});
