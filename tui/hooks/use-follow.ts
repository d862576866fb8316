// Following the trace store live from a pane: the workbench's follow reader
// (followStore) polled on the pane's own timer, every batch of new events handed
// to `onEvents` (never an empty one). The reader is opened when the pane mounts
// (or the store, node or sources change) and closed when it unmounts. A store the
// reader cannot open comes back as `error` (a sentence for the screen), not a throw.
// The Nodes pane uses it to refresh on new evidence; the Seeds pane follows its
// telemetry tables with it (pass their AppendedSources in `sources`).

import { useEffect, useRef, useState } from "react";
import { type AppendedSource, type FollowEvent, followStore } from "../../src/workbench/index.js";

export interface UseFollowOptions {
  /** "now" (default) or "start" (everything in the store first). */
  from?: "now" | "start";
  node?: string;
  steps?: boolean;
  sources?: readonly AppendedSource[];
  /** How often to look, in ms (default 100: a row shows within a frame or two). */
  pollMs?: number;
  /** False pauses following (the reader is closed). */
  active?: boolean;
}

export function useFollow(
  storePath: string,
  onEvents: (events: FollowEvent[]) => void,
  options: UseFollowOptions = {},
): { error: string | null } {
  const [error, setError] = useState<string | null>(null);
  const handler = useRef(onEvents);
  handler.current = onEvents;
  const { from, node, steps, sources, pollMs = 100, active = true } = options;
  useEffect(() => {
    if (!active) return;
    let follow: ReturnType<typeof followStore>;
    try {
      follow = followStore(storePath, { from, node, steps, sources });
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
  }, [storePath, from, node, steps, sources, pollMs, active]);
  return { error };
}
