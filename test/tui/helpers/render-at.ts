import { EventEmitter } from "node:events";
import { render } from "ink";
import type { ReactElement } from "react";

// ink-testing-library's render at a chosen terminal size: its fake stdout is always
// 100 columns wide, and the TUI must be checked at 80 × 24 and 200 × 50. Same
// shape (stdin.write, lastFrame, frames), debug rendering (every frame written
// whole), so tests read exact frames.

class FakeStdout extends EventEmitter {
  readonly frames: string[] = [];
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = () => this.frames[this.frames.length - 1] ?? "";
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit("readable");
    this.emit("data", data);
  };
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export function renderAt(tree: ReactElement, columns = 100, rows = 40) {
  const stdout = new FakeStdout(columns, rows);
  const stderr = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { ...instance, stdin, stdout, lastFrame: stdout.lastFrame };
}

/** Lets timers, promises and Ink's render run (bounded polling, no wall-clock assertion). */
export async function until(test: () => boolean, what: string, lastFrame: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (test()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}; the frame was:\n${lastFrame()}`);
}

export const tick = () => new Promise((r) => setTimeout(r, 30));
