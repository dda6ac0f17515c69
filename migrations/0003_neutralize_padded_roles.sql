-- Better Auth 1.7.16+ trims organization role names. Before authform refused padded names
-- (worker/auth/plugins/organization/role-names.ts), an admin could store "owner " or
-- "admin, owner", which Better Auth now reads as owner. authform never writes a name with
-- white space in it, so such a row is that exploit's leftover: members fall back to the
-- default role, pending invitations are cancelled. See docs/UPGRADING.md.
UPDATE `member` SET `role` = 'member'
  WHERE instr(`role`, ' ') > 0 OR instr(`role`, char(9)) > 0 OR instr(`role`, char(10)) > 0 OR instr(`role`, char(13)) > 0;
--> statement-breakpoint
UPDATE `invitation` SET `status` = 'canceled'
  WHERE `status` = 'pending'
    AND (instr(`role`, ' ') > 0 OR instr(`role`, char(9)) > 0 OR instr(`role`, char(10)) > 0 OR instr(`role`, char(13)) > 0);
