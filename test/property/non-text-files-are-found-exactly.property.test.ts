import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateFile } from "../../src/ir/validate.js";

// The class: a .vsp file's bytes are text exactly when they are well-formed UTF-8
// with no NUL byte. validateFile must say V001 "not … text" for every other file,
// at the first byte where the text stops (the first NUL, or the end of the longest
// prefix that decodes), and never for a text file, whatever the bytes (checked
// against TextDecoder).

const dir = mkdtempSync(join(tmpdir(), "vesper-utf8-"));
const isUtf8 = (bytes: Uint8Array) => {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};
/** Where the text stops: the first NUL, or the end of the longest prefix that is UTF-8; undefined for text. */
const textEnd = (b: Buffer): number | undefined => {
  const nul = b.indexOf(0);
  let valid = b.length;
  while (!isUtf8(b.subarray(0, valid))) valid--;
  const end = Math.min(nul < 0 ? b.length : nul, valid);
  return end === b.length ? undefined : end;
};

// Pieces built at the edges of UTF-8: a lead byte at a range boundary followed by
// continuation bytes at theirs (overlongs, surrogates, past U+10FFFF, cut short),
// mixed with valid text, arbitrary bytes, NUL and newlines.
const lead = fc.constantFrom(
  0x00,
  0x0a,
  0x41,
  0x7f,
  0x80,
  0xbf,
  0xc0,
  0xc1,
  0xc2,
  0xdf,
  0xe0,
  0xe1,
  0xec,
  0xed,
  0xee,
  0xef,
  0xf0,
  0xf1,
  0xf3,
  0xf4,
  0xf5,
  0xff,
);
const tail = fc.constantFrom(0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0x41);
const loose = fc.tuple(lead, fc.array(tail, { maxLength: 3 })).map(([l, t]) => [l, ...t]);
// A lead byte whose second byte has a narrower range, at that range's edges, with two more bytes.
const edge = fc.tuple(
  fc.constantFrom(0xc0, 0xc1, 0xe0, 0xed, 0xf0, 0xf4, 0xf5),
  fc.constantFrom(0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf),
  fc.constantFrom(0x80, 0xbf),
  fc.constantFrom(0x80, 0xbf, 0x41),
);
const piece = fc.oneof(loose, edge).map((b) => Buffer.from(b));
const text = fc.string({ unit: "binary", maxLength: 12 }).map((s) => Buffer.from(s, "utf8"));
const anyBytes = fc.uint8Array({ minLength: 1, maxLength: 4 }).map((a) => Buffer.from(a));
const bytes = fc.array(fc.oneof(text, piece, piece, anyBytes), { maxLength: 6 }).map((parts) => Buffer.concat(parts));

describe("non-text files are found exactly", () => {
  it("V001 'not … text' exactly when the bytes are not UTF-8 or hold a NUL byte, at the first such byte", () => {
    let n = 0;
    fc.assert(
      fc.property(bytes, (b) => {
        const file = join(dir, `f${n++}.vsp`);
        writeFileSync(file, b);
        const first = validateFile(file).diagnostics[0];
        const refused =
          first?.code === "V001" ? /not (?:a text file|UTF-8 text).*\(byte (\d+)\)/.exec(first.message) : null;
        expect(refused ? Number(refused[1]) : undefined).toBe(textEnd(b));
      }),
      { numRuns: 1000 },
    );
  });
});
