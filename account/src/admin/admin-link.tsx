/** /account's way to the admin page: shown to the config's admins only. */
import { useEffect, useState } from "preact/hooks";
import { isAdmin } from "./admin-check.ts";

export function AdminLink() {
  const [admin, setAdmin] = useState(false);
  useEffect(() => {
    isAdmin()
      .then(setAdmin)
      .catch(() => setAdmin(false));
  }, []);
  if (!admin) return null;
  return (
    <nav aria-label="Administration">
      <a href="/account/admin">Manage users (admin)</a>
    </nav>
  );
}
