/**
 * The peer's bare Alchemy program: the same resources as authform's stack, declared by hand, run
 * locally. `bun bench/peer/alchemy.run.ts --stage S --port P [--entry FILE] [--password-scrypt N,r,p] [--destroy]` (Alchemy
 * reads --destroy; --entry swaps in a peer worker with fewer plugins).
 */
import path from "node:path";
import alchemy from "alchemy";
import { D1Database, Worker } from "alchemy/cloudflare";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const stage = option("--stage") ?? "bench";
const port = Number(option("--port") ?? 1437);
const entrypoint = path.resolve(ROOT, option("--entry") ?? "bench/peer/worker.ts");

// Local mode, offline: placeholder credentials (the Worker resource asks before its local branch).
process.env.CLOUDFLARE_API_TOKEN ||= "bench-local-placeholder";
process.env.CLOUDFLARE_ACCOUNT_ID ||= "bench-local-placeholder";
process.env.DO_NOT_TRACK = "1";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";

const app = await alchemy("bench-peer", {
  local: true,
  stage,
  password: process.env.ALCHEMY_PASSWORD ?? "bench-peer-local-only",
  noTrack: true,
});

const database = await D1Database("database", {
  name: `bench-peer-${stage}-db`,
  migrationsDir: path.join(ROOT, "migrations"),
});

const url = `http://localhost:${port}`;
const worker = await Worker("worker", {
  name: `bench-peer-${stage}`,
  entrypoint,
  compatibilityDate: "2025-09-01",
  compatibilityFlags: ["nodejs_compat"],
  bindings: {
    DB: database,
    BETTER_AUTH_SECRET: alchemy.secret(
      process.env.BETTER_AUTH_SECRET ?? "bench-peer-secret-0123456789abcdef",
    ),
    BETTER_AUTH_URL: url,
    // `--password-scrypt N,r,p`: the peer hashes as authform's "workers-free" profile does (peer-free).
    ...(option("--password-scrypt") ? { PASSWORD_SCRYPT: option("--password-scrypt") as string } : {}),
  },
  url: true,
  dev: { port },
});

await app.finalize();
if (app.phase !== "destroy") {
  console.log(`Worker ${worker.url}`);
  // The same line authform prints, so the benchmark times both programs to the same moment.
  console.log("Serving until Ctrl-C.");
}
