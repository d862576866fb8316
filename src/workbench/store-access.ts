import { type OpenOptions, storeErrorFrom, TraceStore } from "../store/store.js";

// How a use case gets its store: a front end passes either a path (the use case
// opens the store for the call alone and closes it, whatever happens) or a store
// it holds open (the TUI, a test), which the use case uses and leaves open.
// Reading use cases never create a store: a missing file is a store error. A SQLite
// failure while using the store (a corrupt page met on the way, a lock held too
// long) is the StoreError a user can act on, not an internal error.

export type StoreRef = string | TraceStore;

export function withStore<T>(
  ref: StoreRef,
  f: (store: TraceStore) => T,
  options: OpenOptions = { mustExist: true },
): T {
  const store = typeof ref === "string" ? TraceStore.open(ref, options) : ref;
  try {
    return f(store);
  } catch (err) {
    throw storeErrorFrom(err, store.path);
  } finally {
    if (store !== ref) store.close();
  }
}

export async function withStoreAsync<T>(
  ref: StoreRef,
  f: (store: TraceStore) => Promise<T>,
  options: OpenOptions = { mustExist: true },
): Promise<T> {
  const store = typeof ref === "string" ? TraceStore.open(ref, options) : ref;
  try {
    return await f(store);
  } catch (err) {
    throw storeErrorFrom(err, store.path);
  } finally {
    if (store !== ref) store.close();
  }
}
