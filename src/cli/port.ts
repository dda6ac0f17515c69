/** Picks the local port: the one asked for, the stage's previous one if free, else the first free from 1337. */
import net from "node:net";

export const FIRST_LOCAL_PORT = 1337;

/** Free the way Alchemy's local proxy binds it: every address (`::`, dual-stack), not only 127.0.0.1. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Alchemy's local proxy quietly moves to the next port when its port was taken after we checked it
 * (another program started in between). The stack would then serve where none of its URLs point —
 * BETTER_AUTH_URL, trusted origins and links all name the chosen port, so browsers get 403s. Stop
 * with the cause instead.
 */
export function assertServingOn(url: string, port: number): void {
  const actual = Number(new URL(url).port);
  if (actual !== port) {
    throw new Error(
      `Port ${port} was taken by another program while the stack started (it came up on ${actual}, where its URLs would be wrong). Run again, or pass a free --port.`,
    );
  }
}

export async function chooseLocalPort(
  requested: number | undefined,
  previous: number | undefined,
): Promise<number> {
  if (requested !== undefined) {
    if (!(await isPortFree(requested))) {
      throw new Error(`Port ${requested} is in use. Stop what uses it or pass another --port.`);
    }
    return requested;
  }
  if (previous !== undefined && (await isPortFree(previous))) return previous;
  for (let port = FIRST_LOCAL_PORT; port < FIRST_LOCAL_PORT + 200; port++) {
    if (await isPortFree(port)) return port;
  }
  throw new Error(`No free port between ${FIRST_LOCAL_PORT} and ${FIRST_LOCAL_PORT + 199}. Pass --port.`);
}
