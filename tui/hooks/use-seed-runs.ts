// The store's seed runs kept live for the Seeds pane: the workbench's SeedRunsLive
// (src/workbench/seed-live.ts: the runs list and one open run's story, read once,
// then folded from the follow reader), looked at every pollMs (20 ms: a look that
// finds nothing costs one PRAGMA). A look that finds rows draws a frame at once if
// the last frame is minFrameMs (150 ms) old; otherwise the change is held for the
// next look that finds rows past that mark (a trainer commits in batches, so the
// next batch usually comes soon and one frame shows both), and never longer than
// maxHoldMs (200 ms): then a timer looks once more and draws what there is. So a
// trainer writing thousands of rows a second costs a handful of frames a second,
// each drawn as a batch lands, and no row waits longer than about a fifth of a
// second to be drawn. A store that cannot be followed comes back as `error` (a
// sentence), not a throw.

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

export function useSeedRuns(
  store: StoreRef,
  options: { pollMs?: number; minFrameMs?: number; maxHoldMs?: number } = {},
): SeedRunsState {
  const { pollMs = 20, minFrameMs = 150, maxHoldMs = 200 } = options;
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
    let held: NodeJS.Timeout | undefined;
    const frame = () => {
      clearTimeout(held);
      held = undefined;
      lastFrame = Date.now();
      bump();
    };
    const look = (): boolean => {
      try {
        return l.poll();
      } catch (err) {
        setError((err as Error).message);
        clearInterval(timer);
        return false;
      }
    };
    const timer = setInterval(() => {
      if (!look()) return;
      if (Date.now() - lastFrame >= minFrameMs) frame();
      else
        held ??= setTimeout(() => {
          look();
          frame();
        }, maxHoldMs);
    }, pollMs);
    return () => {
      clearInterval(timer);
      clearTimeout(held);
      l.close();
      live.current = null;
    };
  }, [store, pollMs, minFrameMs, maxHoldMs, bump]);

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
