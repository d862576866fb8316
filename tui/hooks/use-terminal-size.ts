// The terminal's size in cells, updated on every resize (SIGWINCH reaches Node as
// the stream's "resize" event). A stream that is not a terminal reports no size:
// then the fallback (80 × 24) holds.

import { useStdout } from "ink";
import { useEffect, useState } from "react";

export interface TerminalSize {
  columns: number;
  rows: number;
}

export const FALLBACK_SIZE: TerminalSize = { columns: 80, rows: 24 };

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || FALLBACK_SIZE.columns, rows: stdout.rows || FALLBACK_SIZE.rows };
}

export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const update = () => setSize(sizeOf(stdout));
    stdout.on("resize", update);
    update();
    return () => {
      stdout.off("resize", update);
    };
  }, [stdout]);
  return size;
}
