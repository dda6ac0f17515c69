/** /account's "Security activity": the account's own audit events (GET /api/v1/audit), failed sign-ins included. */
import { AuditEvents } from "../audit/audit-events.tsx";

export function SecurityActivity() {
  return (
    <section aria-labelledby="activity-title">
      <h2 id="activity-title">Security activity</h2>
      <p class="muted">
        Sign-ins, failed attempts and changes to your account. Something you do not recognize? Change your
        password and revoke your other sessions.
      </p>
      <AuditEvents path="/audit" label="Your security activity" />
    </section>
  );
}
