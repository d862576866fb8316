// State that key handlers read as it is now, not as it was at the last render. Ink calls a pane's input handler once per key, and keys
// typed or pasted quickly arrive before React renders again; a handler reading
// useState would see the state from before the previous key (the prompt not yet
// open, the field without the last character). The value lives in a ref, set at
// once, and every set re-renders.

import { useCallback, useReducer, useRef } from "react";

export type SyncState<T> = [value: T, set: (next: T | ((now: T) => T)) => void, now: () => T];

export function useSyncState<T>(initial: T): SyncState<T> {
  const ref = useRef(initial);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const set = useCallback((next: T | ((now: T) => T)) => {
    ref.current = typeof next === "function" ? (next as (now: T) => T)(ref.current) : next;
    rerender();
  }, []);
  const now = useCallback(() => ref.current, []);
  return [ref.current, set, now];
}
