// The store's seed runs kept live for the Seeds pane: the workbench's SeedRunsLive
// (src/workbench/seed-live.ts: the runs list and one open run's story, read once,
// then folded from the follow reader) polled on the pane's timer (every 100 ms by
// default). It re-renders only when a look found something, and at most once per
// minFrameMs (200 ms by default: a change waits for the next allowed frame, never
// longer), so a trainer writing thousands of rows a second costs a few frames a
// second and a row still shows within about a quarter of a second. A
// store that cannot be followed comes back as `error` (a sentence), not a throw.

import { useCallback, useEffect, useRef, useState } from "react";
import type { SeedRunListItem, SeedRunView, StoreRef } from "../../src/workbench/index.js";
import { SeedRunsLive } from "../../src/workbench/index.js";

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

export function useSeedRuns(store: StoreRef, options: { pollMs?: number; minFrameMs?: number } = {}): SeedRunsState {
  const { pollMs = 100, minFrameMs = 200 } = options;
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
    let lastFrame = 0;
    let pending: NodeJS.Timeout | undefined;
    const frame = () => {
      pending = undefined;
      lastFrame = Date.now();
      bump();
    };
    const timer = setInterval(() => {
      try {
        if (!l.poll() || pending) return;
        const wait = lastFrame + minFrameMs - Date.now();
        if (wait <= 0) frame();
        else pending = setTimeout(frame, wait);
      } catch (err) {
        setError((err as Error).message);
        clearInterval(timer);
      }
    }, pollMs);
    return () => {
      clearInterval(timer);
      clearTimeout(pending);
      l.close();
      live.current = null;
    };
  }, [store, pollMs, minFrameMs, bump]);

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
