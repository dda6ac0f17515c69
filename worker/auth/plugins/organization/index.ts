/** organization: Better Auth's organizations, members and invitations (default roles: owner, admin, member), invitations by email. */
import { organization } from "better-auth/plugins/organization";
import { emailBrand, invitationEmail } from "../../../email/templates/index.ts";
import type { PluginModule } from "../../../spec.ts";
import { invitationUrl } from "./invitation-url.ts";
import { exactRoleNames } from "./role-names.ts";

export const organizationPlugin: PluginModule = {
  betterAuth: ({ env, email }) => {
    const brand = emailBrand(env);
    return [
      // Before organization, so a role spelled with spaces is refused before Better Auth checks it.
      exactRoleNames(),
      // Better Auth's defaults otherwise (no teams, no dynamic access control): the schema matches them.
      organization({
        async sendInvitationEmail({ id, email: to, role, organization: org, inviter }) {
          const url = invitationUrl(env.ACCOUNT_URL, id);
          await email.send({
            kind: "invitation",
            to,
            ...invitationEmail(brand, {
              inviterName: inviter.user.name,
              inviterEmail: inviter.user.email,
              organizationName: org.name,
              role,
              url,
            }),
            secretPreview: url,
          });
        },
      }),
    ];
  },
};
