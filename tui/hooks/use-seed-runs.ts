// The store's seed runs kept live for the Seeds pane: the workbench's SeedRunsLive
// (src/workbench/seed-live.ts: the runs list and one open run's story, read once,
// then folded from the follow reader) polled on the pane's timer. It re-renders
// only when a look found something, at most once per poll (100 ms by default), so
// a trainer writing thousands of rows a second costs a few frames a second. A
// store that cannot be followed comes back as `error` (a sentence), not a throw.

import { useCallback, useEffect, useRef, useState } from "react";
import type { SeedRunListItem, SeedRunView, StoreRef } from "../../src/workbench/index.js";
import { SeedRunsLive } from "../../src/workbench/seed-live.js";

export interface SeedRunsState {
  list: SeedRunListItem[];
  view: SeedRunView | null;
  error: string | null;
  /** True once the store is followed (open() works from then on). */
  ready: boolean;
  /** Opens a run (id or unique prefix); a run that cannot be read sets `error` and returns false. */
  open(runId: string): boolean;
  shut(): void;
}

export function useSeedRuns(store: StoreRef, options: { pollMs?: number } = {}): SeedRunsState {
  const { pollMs = 100 } = options;
  const live = useRef<SeedRunsLive | null>(null);
  const [, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const bump = useCallback(() => setVersion((n) => n + 1), []);

  useEffect(() => {
    let l: SeedRunsLive;
    try {
      l = SeedRunsLive.open(store);
    } catch (err) {
      setError((err as Error).message);
      return;
    }
    live.current = l;
    setError(null);
    bump();
    const timer = setInterval(() => {
      try {
        if (l.poll()) bump();
      } catch (err) {
        setError((err as Error).message);
        clearInterval(timer);
      }
    }, pollMs);
    return () => {
      clearInterval(timer);
      l.close();
      live.current = null;
    };
  }, [store, pollMs, bump]);

  const open = useCallback(
    (runId: string) => {
      const l = live.current;
      if (!l) return false;
      try {
        l.open(runId);
        setError(null);
        bump();
        return true;
      } catch (err) {
        setError((err as Error).message);
        return false;
      }
    },
    [bump],
  );
  const shut = useCallback(() => {
    live.current?.shut();
    bump();
  }, [bump]);

  const l = live.current;
  return { list: l?.list ?? [], view: l?.view ?? null, error, ready: l !== null, open, shut };
}
