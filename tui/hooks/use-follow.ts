// Following the trace store live from a pane: the workbench's follow reader
// (followStore, from now on) polled on the pane's own timer, every batch of new
// events handed to `onEvents` (never an empty one). The reader is opened when the
// pane mounts (or the store or options change) and closed when it unmounts. A store
// the reader cannot open comes back as `error` (a sentence for the screen), not a
// throw. The Nodes pane uses it to refresh on new evidence; the Seeds pane has its
// own hook (use-seed-runs.ts), which holds frames back while a trainer streams rows.

import { useEffect, useRef, useState } from "react";
import { type FollowEvent, followStore } from "../../src/workbench/index.js";

export interface UseFollowOptions {
  /** Whether step rows are followed too (a trace's start and end always are). */
  steps?: boolean;
  /** How often to look, in ms (default 100: a row shows within a frame or two). */
  pollMs?: number;
}

export function useFollow(
  storePath: string,
  onEvents: (events: FollowEvent[]) => void,
  options: UseFollowOptions = {},
): { error: string | null } {
  const [error, setError] = useState<string | null>(null);
  const handler = useRef(onEvents);
  handler.current = onEvents;
  const { steps, pollMs = 100 } = options;
  useEffect(() => {
    let follow: ReturnType<typeof followStore>;
    try {
      follow = followStore(storePath, { steps });
      setError(null);
    } catch (err) {
      setError((err as Error).message);
      return;
    }
    const timer = setInterval(() => {
      try {
        const events = follow.poll();
        if (events.length > 0) handler.current(events);
      } catch (err) {
        setError((err as Error).message);
        clearInterval(timer);
      }
    }, pollMs);
    return () => {
      clearInterval(timer);
      follow.close();
    };
  }, [storePath, steps, pollMs]);
  return { error };
}
