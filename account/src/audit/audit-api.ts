/** Reading the audit log from /api/v1 (the session cookie authenticates): one page of events at a time. */
import { ApiError } from "../api.ts";

export interface AuditEntry {
  id: string;
  at: number;
  type: string;
  userId: string | null;
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  method: string | null;
  detail: Record<string, string | number | boolean | null> | null;
}

export interface AuditPage {
  events: AuditEntry[];
  nextCursor: string | null;
}

/** `path` is `/audit` (the caller's own) or `/admin/audit?userId=…`; `cursor` continues a previous page. */
export async function auditPage(path: string, cursor?: string | null): Promise<AuditPage> {
  const url = new URL(`/api/v1${path}`, location.origin);
  url.searchParams.set("limit", "20");
  if (cursor) url.searchParams.set("cursor", cursor);
  let res: Response;
  try {
    res = await fetch(url, { credentials: "include" });
  } catch {
    throw new ApiError(0, "network", "Could not reach the server. Check your connection and try again.");
  }
  const body = (await res.json().catch(() => null)) as
    | (AuditPage & { error?: string; message?: string })
    | null;
  if (!res.ok) {
    const code = body?.error ?? String(res.status);
    if (res.status === 401) throw new ApiError(401, code, "You are signed out. Sign in and try again.");
    if (res.status === 403) throw new ApiError(403, code, "Only admins can read this activity.");
    throw new ApiError(res.status, code, body?.message ?? "Could not load the activity. Try again.");
  }
  return body ?? { events: [], nextCursor: null };
}
