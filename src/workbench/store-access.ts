import { type OpenOptions, TraceStore } from "../store/store.js";

// How a use case gets its store: a front end passes either a path (the use case
// opens the store for the call alone and closes it, whatever happens) or a store
// it holds open (the TUI, a test), which the use case uses and leaves open.
// Reading use cases never create a store: a missing file is a store error.

export type StoreRef = string | TraceStore;

export function withStore<T>(
  ref: StoreRef,
  f: (store: TraceStore) => T,
  options: OpenOptions = { mustExist: true },
): T {
  if (typeof ref !== "string") return f(ref);
  const store = TraceStore.open(ref, options);
  try {
    return f(store);
  } finally {
    store.close();
  }
}

export async function withStoreAsync<T>(
  ref: StoreRef,
  f: (store: TraceStore) => Promise<T>,
  options: OpenOptions = { mustExist: true },
): Promise<T> {
  if (typeof ref !== "string") return f(ref);
  const store = TraceStore.open(ref, options);
  try {
    return await f(store);
  } finally {
    store.close();
  }
}
