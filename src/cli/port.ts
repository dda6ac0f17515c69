/** Picks the local port: the one asked for, the stage's previous one if free, else the first free from 1337. */
import net from "node:net";

export const FIRST_LOCAL_PORT = 1337;

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
  });
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
