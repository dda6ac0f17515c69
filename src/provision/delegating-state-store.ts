/** A state store that hands every call to another one: the base of authform's state-store wrappers. */
import type { State, StateStore } from "alchemy";

/** Subclasses override what they change (usually `set` or `delete`); the rest passes through. */
export class DelegatingStateStore implements StateStore {
  constructor(protected readonly inner: StateStore) {}

  init() {
    return this.inner.init?.() ?? Promise.resolve();
  }
  deinit() {
    return this.inner.deinit?.() ?? Promise.resolve();
  }
  list() {
    return this.inner.list();
  }
  count() {
    return this.inner.count();
  }
  get(key: string) {
    return this.inner.get(key);
  }
  getBatch(ids: string[]) {
    return this.inner.getBatch(ids);
  }
  all() {
    return this.inner.all();
  }
  listScopes() {
    return this.inner.listScopes?.() ?? Promise.resolve([]);
  }
  set(key: string, value: State): Promise<void> {
    return this.inner.set(key, value);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
}
