/** The admin page's user search: by email or name (Better Auth's list-users), 20 at a time. */
import { useEffect, useState } from "preact/hooks";
import { get } from "../api.ts";
import { Button, Field, Form, Notice, useAction } from "../components/ui.tsx";
import type { AdminUser } from "./admin-user.ts";

const PAGE = 20;

export function UserList({ open }: { open: (userId: string) => void }) {
  const [search, setSearch] = useState("");
  const [field, setField] = useState<"email" | "name">("email");
  const [users, setUsers] = useState<AdminUser[] | undefined>();
  const [total, setTotal] = useState(0);
  const { busy, error, run } = useAction();
  const load = (offset: number) =>
    run(async () => {
      const query = new URLSearchParams({
        limit: String(PAGE),
        offset: String(offset),
        sortBy: "createdAt",
        sortDirection: "desc",
      });
      if (search.trim()) {
        query.set("searchValue", search.trim());
        query.set("searchField", field);
        query.set("searchOperator", "contains");
      }
      const page = await get<{ users: AdminUser[]; total: number }>(`/admin/list-users?${query}`);
      setUsers(offset === 0 ? page.users : [...(users ?? []), ...page.users]);
      setTotal(page.total);
    });
  useEffect(() => void load(0), []);
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <Form label="Search users" onSubmit={() => void load(0)}>
        <Field label="Search" name="user-search" value={search} onInput={setSearch} required={false} />
        <div class="field">
          <label for="user-search-field">Search in</label>
          <select
            id="user-search-field"
            value={field}
            onChange={(e) => setField(e.currentTarget.value as "email" | "name")}
          >
            <option value="email">Email</option>
            <option value="name">Name</option>
          </select>
        </div>
        <Button busy={busy} kind="secondary">
          Search
        </Button>
      </Form>
      {error && <Notice kind="error">{error}</Notice>}
      {users && (
        <p class="muted" data-testid="user-count">
          {total === 1 ? "1 user" : `${total} users`}
        </p>
      )}
      <ul class="rows" aria-label="Users">
        {users?.map((u) => (
          <li key={u.id}>
            <span>
              {u.email} <span class="muted">{u.name}</span>
              {u.role === "admin" && <span class="badge">admin</span>}
              {u.banned && <span class="badge warn">banned</span>}
            </span>
            <Button kind="secondary" type="button" onClick={() => open(u.id)} label={`Open ${u.email}`}>
              Open
            </Button>
          </li>
        ))}
      </ul>
      {users && users.length < total && (
        <Button kind="secondary" type="button" busy={busy} onClick={() => void load(users.length)}>
          Show more
        </Button>
      )}
    </section>
  );
}
