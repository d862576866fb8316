// Ink hands a pane everything the terminal delivered in one read as one input
// event, unless it contains an escape sequence: two keys typed faster than a read
// (or sent together, as tmux send-keys and a paste do) arrive as "\r\r" or "5B",
// which no key handler recognises, so both are lost. This makes stdin give Ink one
// character per read(): each key is then its own event. Escape sequences split this
// way are put back together by Ink's input parser, which keeps a pending escape
// across reads of one readable event. Text typed into a prompt still arrives, one
// character at a time.
//
// Esc followed at once by another key in one read ("\x1b" "\x1b[B" from tmux
// send-keys Escape Down, or a paste) would be put together too, as Meta+Down or
// Meta+q: the Esc lost, the key taken for another. An ESC that does not start a
// control sequence (CSI "\x1b[", SS3 "\x1bO") is therefore handed over alone and the
// read loop ended after it, so Ink flushes it as the Esc key (it does so on
// setImmediate once a read returns null); the keys after it follow a moment later
// (ESCAPE_GAP_MS), through another readable event. The TUI binds no Alt/Meta key
// (Alt+x, sent as ESC x, now reads as Esc then x; xterm's Alt+arrows are CSI
// sequences and are unchanged).

const ESC = "\u001B";
/** How long the keys after a lone ESC wait, so the Esc's own effects land first. */
const ESCAPE_GAP_MS = 15;

/** Wraps `stdin.read` in place so each call returns at most one character (a whole code point). */
export function oneKeyAtATime(stdin: NodeJS.ReadStream): void {
  const read = stdin.read.bind(stdin);
  let queue: string[] = [];
  /** Set after a lone ESC: the read loop ends (null) so Ink flushes it before the keys after it. */
  let paused = false;
  stdin.read = ((size?: number) => {
    if (paused) return null;
    if (queue.length === 0) {
      const chunk = read(size) as string | Buffer | null;
      if (chunk === null) return null;
      queue = Array.from(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
    }
    const char = queue.shift() ?? null;
    const next = queue[0];
    if (char === ESC && next !== undefined && next !== "[" && next !== "O") {
      paused = true;
      // Ink flushes the pending ESC on the next immediate; what the Esc did (closing
      // help, a form) is then drawn and the pane that now has focus subscribes (React's
      // passive effects, a few immediates on). The rest follows after that, as a
      // terminal multiplexer's escape-time would hold it.
      setTimeout(() => {
        paused = false;
        stdin.emit("readable");
      }, ESCAPE_GAP_MS);
    }
    return char;
  }) as typeof stdin.read;
}
