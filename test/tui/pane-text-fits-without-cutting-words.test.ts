import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cells, shorten, wrapWords } from "../../tui/panes/debug/fit-text.js";
import { fitLine } from "../../tui/panes/debug/line-fit.js";
import { plain } from "../../tui/panes/debug/styled-lines.js";

// The panes' text fitting (tui/panes/debug/fit-text.ts, line-fit.ts): whatever the
// text and the width, a line never exceeds the width, and a word is only ever cut
// when it alone is longer than the width, and then it ends in "…".

const word = fc.stringMatching(/^[a-z0-9_.:=✓✗]{1,14}$/);
const text = fc.array(word, { minLength: 1, maxLength: 30 }).map((ws) => ws.join(" "));
const width = fc.integer({ min: 2, max: 120 });

describe("pane text fits its width without cutting words", () => {
  it("wrapWords: every line fits, and the words come back whole and in order", () => {
    fc.assert(
      fc.property(text, width, (t, w) => {
        const lines = wrapWords(t, w);
        for (const l of lines) expect(cells(l)).toBeLessThanOrEqual(w);
        const words = t.split(" ");
        const back = lines.join(" ").split(/ +/).filter(Boolean);
        // A word longer than the line is the only one shortened (with "…").
        expect(back.length).toBe(words.length);
        back.forEach((b, i) => {
          if (b !== words[i]) {
            expect(cells(words[i]!)).toBeGreaterThan(w);
            expect(b.endsWith("…")).toBe(true);
          }
        });
      }),
    );
  });

  it("shorten: fits, and keeps whole words plus a marker when it drops some", () => {
    fc.assert(
      fc.property(text, width, (t, w) => {
        const s = shorten(t, w);
        expect(cells(s)).toBeLessThanOrEqual(w);
        if (s === t) return;
        expect(s.endsWith("…")).toBe(true);
        const kept = s.slice(0, -1).trimEnd().split(" ");
        const words = t.split(" ");
        // Every kept word but the last is whole; the last is whole unless words are long for the room.
        kept.slice(0, -1).forEach((k, i) => expect(k).toBe(words[i]));
      }),
    );
  });

  it("fitLine: styled segments fit and pad to the width exactly", () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), width, (parts, w) => {
        const l = fitLine(
          parts.map((p) => ({ text: p, bold: true })),
          w,
          true,
        );
        expect(cells(plain(l))).toBe(w);
      }),
    );
  });
});
