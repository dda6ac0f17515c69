/**
 * The strongest stock peer: Better Auth built once per isolate, at module scope, from the bindings
 * `cloudflare:workers` exposes there — what a competent team writes today.
 */
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { createAuth, type Env } from "./auth.ts";

const auth = createAuth(env as Env);

const app = new Hono<{ Bindings: Env }>();
app.on(["GET", "POST"], "/auth/v1/*", (c) => auth.handler(c.req.raw));
app.get("/", (c) => c.json({ app: "bench-peer", auth: "/auth/v1" }));

export default app;
