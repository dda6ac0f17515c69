/** /account: (enrollment alone while a required two-factor is off) the signed-in user's profile, email address, two-factor, password, linked accounts, sessions, passkeys, API keys, active organization, guest upgrade, sign-out, deletion. */
import { useEffect, useState } from "preact/hooks";
import { AdminLink } from "../admin/admin-link.tsx";
import { get, messageOf, post } from "../api.ts";
import { Button, Field, Form, Layout, Notice, useAction } from "../components/ui.tsx";
import { passkeysSupported, registerPasskey } from "../passkey.ts";
import { ChangePassword } from "../security/change-password.tsx";
import { DeleteAccount } from "../security/delete-account.tsx";
import { EmailAddress } from "../security/email-address.tsx";
import { useHasPassword } from "../security/has-password.ts";
import { LinkedAccounts } from "../security/linked-accounts.tsx";
import { SecurityActivity } from "../security/security-activity.tsx";
import { Sessions } from "../security/sessions.tsx";
import { getSession, type SessionInfo } from "../session.ts";
import { hasPlugin, type StackInfo } from "../stack.ts";
import { TwoFactorSettings } from "../two-factor/two-factor-settings.tsx";
import { awaitsVerification, checkInboxURL, verifiedCallbackURL } from "../verification.ts";

export function AccountPage({ stack }: { stack: StackInfo }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const reload = () =>
    getSession()
      .then((s) => {
        if (!s) location.replace(`/login?${new URLSearchParams({ redirect: "/account" })}`);
        else setSession(s);
      })
      .catch((err) => setLoadError(messageOf(err)));
  useEffect(() => void reload(), []);

  if (!session) {
    return (
      <Layout appName={stack.appName} title="Your account" wide>
        {loadError ? <Notice kind="error">{loadError}</Notice> : <p class="muted">Loading…</p>}
      </Layout>
    );
  }
  const guest = session.user.isAnonymous === true;
  // `twoFactor: { required: true }`: until two-factor is on, enrolling is all this page offers (the
  // Worker refuses the rest). The two-factor section keeps its place, so its steps survive the switch.
  const held = stack.twoFactorRequired && !guest && session.user.twoFactorEnabled !== true;
  return (
    <Layout appName={stack.appName} title="Your account" wide>
      {!held && !guest && hasPlugin(stack, "admin") && <AdminLink />}
      {held ? <EnrollFirst stack={stack} onChange={reload} /> : <Profile session={session} />}
      {!held && !guest && <EmailAddress user={session.user} />}
      {guest && hasPlugin(stack, "upgradeAnonymous") && <UpgradeGuest onDone={reload} />}
      {!guest && hasPlugin(stack, "twoFactor") && (
        <TwoFactorSettings
          enabled={session.user.twoFactorEnabled === true}
          appName={stack.appName}
          onChange={reload}
        />
      )}
      {!held && !guest && stack.emailAndPassword && <ChangePassword stack={stack} onChange={reload} />}
      {!held && !guest && stack.socialProviders.length > 0 && (
        <LinkedAccounts stack={stack} session={session} />
      )}
      {/* A password change with "sign out my other devices" replaces this session too: a new list. */}
      {!held && !guest && <Sessions key={session.session.id} currentId={session.session.id} />}
      {!held && !guest && <SecurityActivity />}
      {!held && !guest && hasPlugin(stack, "passkey") && <Passkeys />}
      {!held && !guest && hasPlugin(stack, "apiKey") && <ApiKeys />}
      {!held && !guest && hasPlugin(stack, "organization") && (
        <Organizations session={session} onChange={reload} />
      )}
      <SignOut />
      {!held && !guest && <DeleteAccount user={session.user} stack={stack} />}
    </Layout>
  );
}

/** What a user held to enrollment sees above the two-factor section: why, and a first password if they have none. */
function EnrollFirst({ stack, onChange }: { stack: StackInfo; onChange: () => Promise<void> }) {
  const hasPassword = useHasPassword();
  return (
    <>
      <Notice kind="info">
        {stack.appName} requires two-factor authentication. Turn it on to use your account.
      </Notice>
      {/* Turning it on takes the password: an account signed up without one sets it first. */}
      {hasPassword === false && <ChangePassword stack={stack} onChange={onChange} />}
    </>
  );
}

function Profile({ session }: { session: SessionInfo }) {
  const { user } = session;
  return (
    <section aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      {user.isAnonymous ? (
        <p>You are using a guest account. Save it to keep what you made and sign in again later.</p>
      ) : (
        <dl class="facts">
          <dt>Name</dt>
          <dd data-testid="profile-name">{user.name || "—"}</dd>
          <dt>Email</dt>
          <dd class="email">
            <span data-testid="profile-email">{user.email}</span>
            {user.emailVerified ? (
              <span class="badge">verified</span>
            ) : (
              <span class="badge warn">not verified</span>
            )}
          </dd>
        </dl>
      )}
    </section>
  );
}

function UpgradeGuest({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useAction();
  const submit = () =>
    run(async () => {
      const callbackURL = verifiedCallbackURL("/account");
      const answer = await post("/upgrade-anonymous", {
        email,
        password,
        callbackURL,
        ...(name ? { name } : {}),
      });
      // Verification required: the guest session has ended; the emailed link finishes the upgrade.
      if (awaitsVerification(answer)) location.assign(checkInboxURL(email, "/account"));
      else onDone();
    });
  return (
    <section aria-labelledby="upgrade-title">
      <h2 id="upgrade-title">Save your guest account</h2>
      <Form label="Upgrade guest account" onSubmit={submit}>
        {error && <Notice kind="error">{error}</Notice>}
        <Field
          label="Name"
          name="upgrade-name"
          autocomplete="name"
          value={name}
          onInput={setName}
          required={false}
        />
        <Field
          label="Email"
          name="upgrade-email"
          type="email"
          autocomplete="email"
          value={email}
          onInput={setEmail}
        />
        <Field
          label="Password"
          name="upgrade-password"
          type="password"
          autocomplete="new-password"
          value={password}
          onInput={setPassword}
        />
        <Button busy={busy}>Save account</Button>
      </Form>
    </section>
  );
}

/** Loads a list and keeps it fresh after changes; `error` is shown in place of the list. */
function useList<T>(path: string, pick: (data: unknown) => T[]) {
  const [items, setItems] = useState<T[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const load = () =>
    get<unknown>(path)
      .then((data) => setItems(pick(data)))
      .catch((err) => setError(messageOf(err)));
  useEffect(() => void load(), []);
  return { items, error, load };
}

/** What a list says before it has rows: loading, why it failed, or that it is empty (and what to do). */
function ListState({ list, empty }: { list: { items?: unknown[]; error?: string }; empty: string }) {
  if (list.error) return <Notice kind="error">{list.error}</Notice>;
  if (!list.items) return <p class="muted">Loading…</p>;
  return list.items.length === 0 ? <p class="empty">{empty}</p> : null;
}

interface Passkey {
  id: string;
  name?: string | null;
  createdAt: string;
}

function Passkeys() {
  const list = useList<Passkey>("/passkey/list-user-passkeys", (d) =>
    Array.isArray(d) ? (d as Passkey[]) : [],
  );
  const [name, setName] = useState("");
  const [added, setAdded] = useState(false);
  const { busy, error, run } = useAction();
  const add = () =>
    run(async () => {
      setAdded(false);
      await registerPasskey(name.trim());
      setName("");
      setAdded(true);
      await list.load();
    });
  const remove = (id: string) =>
    run(async () => {
      await post("/passkey/delete-passkey", { id });
      await list.load();
    });
  return (
    <section aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <ListState list={list} empty="No passkeys yet — add one to sign in without a password." />
      <ul class="rows" aria-label="Your passkeys">
        {list.items?.map((p) => (
          <li key={p.id}>
            <span>
              {p.name || "Passkey"} <span class="muted">added {day(p.createdAt)}</span>
            </span>
            <Button
              kind="danger"
              type="button"
              busy={busy}
              onClick={() => remove(p.id)}
              label={`Delete passkey ${p.name || ""}`.trim()}
            >
              Delete
            </Button>
          </li>
        ))}
      </ul>
      {passkeysSupported() ? (
        <Form label="Add a passkey" onSubmit={add}>
          {added && <Notice kind="success">Passkey added.</Notice>}
          {error && <Notice kind="error">{error}</Notice>}
          <Field
            label="Passkey name (optional)"
            name="passkey-name"
            value={name}
            onInput={setName}
            required={false}
          />
          <Button busy={busy}>Add a passkey</Button>
        </Form>
      ) : (
        <Notice kind="info">This browser cannot create passkeys.</Notice>
      )}
    </section>
  );
}

interface ApiKey {
  id: string;
  name?: string | null;
  start?: string | null;
  createdAt: string;
}

function ApiKeys() {
  const list = useList<ApiKey>("/api-key/list", (d) => (d as { apiKeys?: ApiKey[] } | null)?.apiKeys ?? []);
  const [name, setName] = useState("");
  const [secret, setSecret] = useState<string | undefined>();
  const { busy, error, run } = useAction();
  const create = () =>
    run(async () => {
      const created = await post<{ key: string }>(
        "/api-key/create",
        name.trim() ? { name: name.trim() } : {},
      );
      setSecret(created.key);
      setName("");
      await list.load();
    });
  const revoke = (keyId: string) =>
    run(async () => {
      await post("/api-key/delete", { keyId });
      await list.load();
    });
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {secret && (
        <div class="notice success" role="status">
          <p>Copy your new key now. It will not be shown again.</p>
          <code class="secret" data-testid="new-api-key">
            {secret}
          </code>
        </div>
      )}
      <ListState
        list={list}
        empty="No API keys yet. Create one to call the API from a script or another app."
      />
      <ul class="rows" aria-label="Your API keys">
        {list.items?.map((k) => (
          <li key={k.id}>
            <span>
              {k.name || "Unnamed key"} <code class="muted">{k.start ? `${k.start}…` : ""}</code>
            </span>
            <Button
              kind="danger"
              type="button"
              busy={busy}
              onClick={() => revoke(k.id)}
              label={`Revoke key ${k.name || ""}`.trim()}
            >
              Revoke
            </Button>
          </li>
        ))}
      </ul>
      <Form label="Create an API key" onSubmit={create}>
        {error && <Notice kind="error">{error}</Notice>}
        <Field label="Key name" name="key-name" value={name} onInput={setName} required={false} />
        <Button busy={busy}>Create key</Button>
      </Form>
    </section>
  );
}

interface Organization {
  id: string;
  name: string;
  slug: string;
}

function Organizations({ session, onChange }: { session: SessionInfo; onChange: () => void }) {
  const list = useList<Organization>("/organization/list", (d) =>
    Array.isArray(d) ? (d as Organization[]) : [],
  );
  const active = session.session.activeOrganizationId ?? "";
  const [chosen, setChosen] = useState(active);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | undefined>();
  const { busy, error, run } = useAction();
  const switchTo = () =>
    run(async () => {
      setCreated(undefined);
      await post("/organization/set-active", { organizationId: chosen === "" ? null : chosen });
      onChange();
    });
  const onCreated = async (org: Organization) => {
    // Better Auth makes a new organization its creator's active one.
    setCreated(org.name);
    setCreating(false);
    setChosen(org.id);
    await list.load();
    onChange();
  };
  const orgs = list.items ?? [];
  return (
    <section aria-labelledby="orgs-title">
      <h2 id="orgs-title">Organization</h2>
      <ListState
        list={list}
        empty="You are not a member of any organization yet. Create one, or ask a colleague to invite you."
      />
      {created && <Notice kind="success">Created {created}. It is your active organization now.</Notice>}
      {orgs.length > 0 && (
        <Form label="Switch organization" onSubmit={switchTo}>
          {error && <Notice kind="error">{error}</Notice>}
          <div class="field">
            <label for="active-org">Active organization</label>
            <select id="active-org" value={chosen} onChange={(e) => setChosen(e.currentTarget.value)}>
              <option value="">None (personal)</option>
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <p class="muted" data-testid="active-org">
            Active now: {orgs.find((o) => o.id === active)?.name ?? "none"}
          </p>
          <Button busy={busy} kind="secondary">
            Switch
          </Button>
        </Form>
      )}
      {list.items &&
        (orgs.length === 0 || creating ? (
          <CreateOrganization onCreated={onCreated} />
        ) : (
          <button type="button" class="link" onClick={() => setCreating(true)}>
            Create another organization
          </button>
        ))}
    </section>
  );
}

/** Lowercase letters, digits and single dashes: what a slug in a URL looks like. */
const SLUG_PATTERN = "[a-z0-9]+(-[a-z0-9]+)*";

function slugOf(name: string): string {
  return name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function CreateOrganization({ onCreated }: { onCreated: (org: Organization) => Promise<void> }) {
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  // The slug follows the name until the person edits it.
  const [slugEdited, setSlugEdited] = useState(false);
  const { busy, error, run } = useAction();
  const submit = () =>
    run(async () => {
      const org = await post<Organization>("/organization/create", { name: name.trim(), slug });
      await onCreated(org);
    });
  return (
    <Form label="Create an organization" onSubmit={submit}>
      <h3>Create an organization</h3>
      {error && <Notice kind="error">{error}</Notice>}
      <Field
        label="Organization name"
        name="org-name"
        autocomplete="organization"
        value={name}
        onInput={(v) => {
          setName(v);
          if (!slugEdited) setSlug(slugOf(v));
        }}
      />
      <Field
        label="Slug"
        name="org-slug"
        value={slug}
        pattern={SLUG_PATTERN}
        hint="Used in links: lowercase letters, numbers and dashes."
        onInput={(v) => {
          setSlug(v);
          setSlugEdited(v !== "");
        }}
      />
      <Button busy={busy}>Create organization</Button>
    </Form>
  );
}

function SignOut() {
  const { busy, error, run } = useAction();
  return (
    <section class="sign-out">
      {error && <Notice kind="error">{error}</Notice>}
      <Button
        busy={busy}
        kind="secondary"
        type="button"
        onClick={() =>
          run(async () => {
            await post("/sign-out");
            location.assign("/login");
          })
        }
      >
        Sign out
      </Button>
    </section>
  );
}

function day(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleDateString();
}
