import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cells, truncateWords, wrapWords } from "../../tui/components/text.js";

const word = fc.stringMatching(/^[a-z]{1,12}$/);
const sentence = fc.array(word, { minLength: 1, maxLength: 20 }).map((ws) => ws.join(" "));

describe("text fitted to a width never cuts a word it has room to keep", () => {
  it("truncateWords keeps whole words and says it cut with …", () => {
    expect(truncateWords("the quick brown fox", 40)).toBe("the quick brown fox");
    expect(truncateWords("the quick brown fox", 12)).toBe("the quick…");
    expect(truncateWords("examples/invalid/assign-to-input.vsp", 20)).toBe("examples/invalid/…");
    expect(truncateWords("accounts.fetch_user_profile@1.0.0", 22)).toBe("accounts.fetch_user_…");
  });

  it("truncateWords: the result fits, and is a run of whole words of the text (property)", () => {
    fc.assert(
      fc.property(sentence, fc.integer({ min: 13, max: 100 }), (text, width) => {
        const t = truncateWords(text, width);
        expect(cells(t)).toBeLessThanOrEqual(width);
        if (t === text) return;
        expect(t.endsWith("…")).toBe(true);
        const kept = t.slice(0, -1).split(" ");
        expect(kept).toEqual(text.split(" ").slice(0, kept.length));
      }),
    );
  });

  it("wrapWords: every line fits, and the words come back in order, none split (property)", () => {
    fc.assert(
      fc.property(sentence, fc.integer({ min: 12, max: 100 }), (text, width) => {
        const lines = wrapWords(text, width);
        for (const l of lines) expect(cells(l)).toBeLessThanOrEqual(width);
        expect(lines.join(" ").split(" ")).toEqual(text.split(" "));
      }),
    );
  });
});
