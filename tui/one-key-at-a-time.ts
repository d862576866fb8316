// Ink hands a pane everything the terminal delivered in one read as one input
// event, unless it contains an escape sequence: two keys typed faster than a read
// (or sent together, as tmux send-keys and a paste do) arrive as "\r\r" or "5B",
// which no key handler recognises, so both are lost. This makes stdin give Ink one
// character per read(): each key is then its own event. Escape sequences split this
// way are put back together by Ink's input parser, which keeps a pending escape
// across reads of one readable event. Text typed into a prompt still arrives, one
// character at a time.

/** Wraps `stdin.read` in place so each call returns at most one character (a whole code point). */
export function oneKeyAtATime(stdin: NodeJS.ReadStream): void {
  const read = stdin.read.bind(stdin);
  let queue: string[] = [];
  stdin.read = ((size?: number) => {
    if (queue.length === 0) {
      const chunk = read(size) as string | Buffer | null;
      if (chunk === null) return null;
      queue = Array.from(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
    }
    return queue.shift() ?? null;
  }) as typeof stdin.read;
}
