/** A tiny Chrome DevTools Protocol client over workerd's V8 inspector WebSocket (what Miniflare's `inspectorPort` opens). */
import { fetch as miniflareFetch } from "miniflare";

export interface Inspector {
  send<T>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Calls `listener` with the params of every event named `method` until the returned function is called. */
  on(method: string, listener: (params: Record<string, unknown>) => void): () => void;
  close(): void;
}

export async function inspector(port: number): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    title: string;
    webSocketDebuggerUrl: string;
  }[];
  // Miniflare's own service workers come first; ours is the user Worker.
  const target = targets.find((t) => t.title.includes("core:user")) ?? targets[0];
  if (!target) throw new Error(`no inspector target on port ${port}`);
  const ws = await connect(target.webSocketDebuggerUrl);
  let next = 1;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (err: Error) => void }>();
  const listeners = new Map<string, Set<(params: Record<string, unknown>) => void>>();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as {
      id?: number;
      method?: string;
      params?: Record<string, unknown>;
      result?: unknown;
      error?: unknown;
    };
    if (message.id === undefined) {
      for (const listener of listeners.get(message.method ?? "") ?? []) listener(message.params ?? {});
      return;
    }
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) call?.reject(new Error(`inspector: ${JSON.stringify(message.error)}`));
    else call?.resolve(message.result);
  });
  return {
    send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
      const id = next++;
      ws.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => {
        // A method workerd's inspector does not answer would otherwise hang the run.
        const timer = setTimeout(() => reject(new Error(`inspector: no answer to ${method}`)), 120_000);
        pending.set(id, {
          resolve: (result) => {
            clearTimeout(timer);
            resolve(result as T);
          },
          reject: (err) => {
            clearTimeout(timer);
            reject(err);
          },
        });
      });
    },
    on(method, listener) {
      const set = listeners.get(method) ?? new Set();
      set.add(listener);
      listeners.set(method, set);
      return () => set.delete(listener);
    },
    close: () => ws.close(),
  };
}

interface Socket {
  send(data: string): void;
  close(): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
}

/** Bun has a WebSocket client built in; Node 20 (vitest) does not, so Miniflare's fetch upgrades there. */
async function connect(url: string): Promise<Socket> {
  if (typeof WebSocket === "function") {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.addEventListener("open", resolve, { once: true });
      ws.addEventListener("error", reject, { once: true });
    });
    return ws;
  }
  const res = await miniflareFetch(url.replace(/^ws/, "http"), { headers: { upgrade: "websocket" } });
  const ws = res.webSocket;
  if (!ws) throw new Error(`inspector: ${url} answered ${res.status}, not a WebSocket`);
  ws.accept();
  return ws as unknown as Socket;
}
