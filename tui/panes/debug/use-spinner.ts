// Generic (may move to tui/hooks/): a spinner frame that turns while `active`, so a
// pane can show that long work is under way.

import { useEffect, useState } from "react";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function useSpinner(active: boolean): string {
  const [i, setI] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setI((n) => (n + 1) % FRAMES.length), 100);
    return () => clearInterval(timer);
  }, [active]);
  return FRAMES[i]!;
}

/** Lets Ink draw (e.g. a spinner line) before work that may hold the event loop. */
export const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
