/** The security review's pure checks: how organization role names are read and which spellings are refused. */
import { parseRoles } from "better-auth/plugins/organization";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memberRoles } from "../../worker/api/org-role.ts";
import { roleNamesAreExact } from "../../worker/auth/plugins/organization/role-names.ts";

describe("memberRoles", () => {
  it("reads a stored role list split on commas, names exactly as stored", () => {
    expect(memberRoles("owner")).toEqual(["owner"]);
    expect(memberRoles("admin,member")).toEqual(["admin", "member"]);
    // A padded name is no role here. Better Auth 1.7.16+ trims it into one (docs/UPGRADING.md says
    // what that means for rows stored before authform refused such names).
    expect(memberRoles("admin, owner")).toEqual(["admin"]);
    expect(memberRoles("owner ")).toEqual([]);
    expect(memberRoles("admin,,member,")).toEqual(["admin", "member"]);
    expect(memberRoles("")).toEqual([]);
  });
});

describe("authform's role names against Better Auth 1.7.29's role parsing (trim, comma split)", () => {
  const roleName = fc.constantFrom("owner", "admin", "member", "billing", "a-b_c");
  const padded = fc.tuple(fc.constantFrom("", " ", "\t"), roleName, fc.constantFrom("", " ", "\t"));

  it("every role authform lets in reads the same both ways, and is stored as sent", () => {
    fc.assert(
      fc.property(fc.array(roleName, { minLength: 1, maxLength: 4 }), (names) => {
        const sent = names.join(",");
        expect(roleNamesAreExact(sent)).toBe(true);
        expect(parseRoles(sent)).toBe(sent);
        expect(parseRoles(names)).toBe(sent);
        expect(memberRoles(parseRoles(sent))).toEqual(names);
      }),
    );
  });

  it("a role the two would read differently (padded) is one authform refuses before Better Auth sees it", () => {
    fc.assert(
      fc.property(fc.array(padded, { minLength: 1, maxLength: 4 }), (parts) => {
        const sent = parts.map((p) => p.join("")).join(",");
        const trimmed = parseRoles(sent).split(",");
        if (JSON.stringify(memberRoles(sent)) !== JSON.stringify(trimmed)) {
          expect(roleNamesAreExact(sent)).toBe(false);
        }
      }),
    );
    // The case behind docs/UPGRADING.md: Better Auth now reads an old padded row as an owner.
    expect(parseRoles("admin, owner")).toBe("admin,owner");
    expect(memberRoles("admin, owner")).toEqual(["admin"]);
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
