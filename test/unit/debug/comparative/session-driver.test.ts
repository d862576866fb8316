import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runSession, splitCommands, type SessionHandler } from "../../../../commands/session-repl.js";
import { UsageError } from "../../../../src/values/errors.js";

// The generic session driver: where commands come from, how replies are printed,
// and that a command's mistake is reported without ending the session.

class Oops extends UsageError {}

function handler(log: string[]): SessionHandler {
  return {
    prompt: "(t) ",
    start: () => ({ text: "hello", json: [{ event: "start" }] }),
    handle: async (line) => {
      log.push(line);
      if (line === "bad") throw new Oops("that was bad");
      if (line === "quit") return { quit: true };
      return { text: `did ${line}`, json: [{ event: "did", line }] };
    },
    end: () => ({ text: "bye", json: [{ event: "end" }] }),
  };
}

function collect() {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: "", err: "" };
  out.on("data", (d) => (text.out += d));
  err.on("data", (d) => (text.err += d));
  return { out, err, text };
}

describe("the session driver", () => {
  it("splits --commands on ';' but not inside quotes", () => {
    expect(splitCommands("step 2; print 'a;b' ;; continue\nquit")).toEqual([
      "step 2",
      "print 'a;b'",
      "continue",
      "quit",
    ]);
  });

  it("runs --commands in order, echoes them after the prompt, reports mistakes and goes on, stops at quit", async () => {
    const log: string[] = [];
    const io = collect();
    const summary = await runSession(handler(log), {
      commands: "one; bad; two; quit; three",
      output: io.out,
      errors: io.err,
    });
    expect(log).toEqual(["one", "bad", "two", "quit"]);
    expect(io.text.out).toBe("hello\n(t) one\ndid one\n(t) bad\n(t) two\ndid two\n(t) quit\nbye\n");
    expect(io.text.err).toBe("error: that was bad\n");
    expect(summary).toEqual({ commands: 4, failed: 1, quit: true });
  });

  it("prints one JSON object per line with --json, errors included", async () => {
    const io = collect();
    await runSession(handler([]), { commands: "one; bad", json: true, output: io.out, errors: io.err });
    expect(
      io.text.out
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { event: "start" },
      { event: "did", line: "one" },
      { event: "error", command: "bad", message: "that was bad" },
      { event: "end" },
    ]);
  });

  it("reads piped standard input line by line, and runs the default commands when it is empty", async () => {
    const input = new PassThrough();
    input.end("one\n\n# a comment\ntwo\n");
    const log: string[] = [];
    await runSession(handler(log), { input, output: collect().out, interactive: false, defaultCommands: ["dflt"] });
    expect(log).toEqual(["one", "two"]);
    const empty = new PassThrough();
    empty.end("");
    const log2: string[] = [];
    await runSession(handler(log2), {
      input: empty,
      output: collect().out,
      interactive: false,
      defaultCommands: ["dflt"],
    });
    expect(log2).toEqual(["dflt"]);
  });

  it("lets a bug in a command propagate instead of hiding it", async () => {
    const h = handler([]);
    h.handle = async () => {
      throw new TypeError("a bug");
    };
    await expect(runSession(h, { commands: "x", output: collect().out })).rejects.toThrow("a bug");
  });
});
