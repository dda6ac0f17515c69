/**
 * The docs' other pattern: Better Auth built inside `fetch`, on every request, from `c.env` (before
 * `cloudflare:workers` exposed `env` at module scope this was the only way). Kept as a second column.
 */
import { Hono } from "hono";
import { createAuth, type Env } from "./auth.ts";

const app = new Hono<{ Bindings: Env }>();
app.on(["GET", "POST"], "/auth/v1/*", (c) => createAuth(c.env).handler(c.req.raw));
app.get("/", (c) => c.json({ app: "bench-peer", auth: "/auth/v1" }));

export default app;
