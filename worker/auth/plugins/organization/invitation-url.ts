/** Where an invitation email sends the invitee: the Account SPA's accept page, which calls /organization/accept-invitation. */

export const ACCEPT_INVITATION_PATH = "/accept-invitation";

/** A path on ACCOUNT_URL, which may itself carry a path (https://example.com/account). */
export function invitationUrl(accountUrl: string, invitationId: string): string {
  const query = new URLSearchParams({ id: invitationId });
  return `${accountUrl.replace(/\/+$/, "")}${ACCEPT_INVITATION_PATH}?${query}`;
}
