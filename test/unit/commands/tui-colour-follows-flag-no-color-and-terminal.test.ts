import { WriteStream } from "node:tty";
import { describe, expect, it } from "vitest";
import { wantsColour } from "../../../commands/tui.js";

// veyra tui draws in colour only when --no-color is absent, NO_COLOR is unset or
// empty (no-color.org), and the terminal shows colour: TERM=dumb does not. The
// charts write their own colour codes, so Ink's own check no longer covers them.
// The terminal is asked as Node asks it (tty.WriteStream's hasColors, from the env).

const terminal = Object.create(WriteStream.prototype) as NodeJS.WriteStream;
const colourful = { TERM: "xterm-256color" };

describe("the TUI's colour decision", () => {
  it("is on for a colour terminal with no flag and no NO_COLOR", () => {
    expect(wantsColour({}, { stdout: terminal, env: colourful })).toBe(true);
    expect(wantsColour({}, { stdout: terminal, env: { ...colourful, NO_COLOR: "" } })).toBe(true);
  });

  it("is off with --no-color, with NO_COLOR set, and on a terminal without colour", () => {
    expect(wantsColour({ color: false }, { stdout: terminal, env: colourful })).toBe(false);
    expect(wantsColour({}, { stdout: terminal, env: { ...colourful, NO_COLOR: "1" } })).toBe(false);
    expect(wantsColour({}, { stdout: terminal, env: { TERM: "dumb" } })).toBe(false);
  });

  it("trusts a stream that cannot say (no hasColors) unless told otherwise", () => {
    const plain = {} as NodeJS.WriteStream;
    expect(wantsColour({}, { stdout: plain, env: {} })).toBe(true);
    expect(wantsColour({}, { stdout: plain, env: { NO_COLOR: "1" } })).toBe(false);
  });
});
