// The hash chain's bytes are part of the store format: stores already written must
// verify forever. The hot path hashes with Node's one-shot crypto.hash and builds no
// row object; this checks, over arbitrary text (any Unicode, lone surrogates
// included), that every hash is still sha256 of exactly the bytes a hash object was
// fed before.
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chainGenesis, chainHash, sha256Hex } from "../../../src/store/hash-chain.js";
import { genesisHash, stepHash, stepHashInput, stepHashOf } from "../../../src/trace/hash-chain.js";

const old = (text: string) => createHash("sha256").update(text).digest("hex");
const anyText = fc.string({ unit: "binary", maxLength: 300 });

describe("the hash chain", () => {
  it("hashes any text to sha256 of its UTF-8 bytes, as a hash object does", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(sha256Hex(text)).toBe(old(text));
      }),
      { numRuns: 500 },
    );
  });

  it("chains a row as sha256(prev, newline, content) and starts from sha256 of its label", () => {
    fc.assert(
      fc.property(anyText, anyText, (prev, content) => {
        expect(chainHash(prev, content)).toBe(old(`${prev}\n${content}`));
        expect(chainGenesis(content)).toBe(old(content));
      }),
    );
  });

  it("hashes a step row column by column exactly as from the row object", () => {
    fc.assert(
      fc.property(
        fc.record({
          trace_id: anyText,
          idx: fc.nat(),
          step: anyText,
          op: anyText,
          line: fc.nat(),
          col: fc.nat(),
          event: anyText,
          duration_us: fc.nat(),
        }),
        anyText,
        (row, prev) => {
          const expected = old(
            `${prev}\n${row.trace_id}\n${row.idx}\n${row.step}\n${row.op}\n${row.line}:${row.col}\n${row.duration_us}\n${row.event}`,
          );
          expect(stepHash(prev, row)).toBe(expected);
          expect(
            stepHashOf(prev, row.trace_id, row.idx, row.step, row.op, row.line, row.col, row.duration_us, row.event),
          ).toBe(expected);
          // The recorder hashes this text and stores its tail as the event.
          const input = stepHashInput(
            prev,
            row.trace_id,
            row.idx,
            row.step,
            row.op,
            row.line,
            row.col,
            row.duration_us,
            row.event,
          );
          expect(old(input)).toBe(expected);
          expect(input.slice(input.length - row.event.length)).toBe(row.event);
        },
      ),
    );
  });

  it("keeps a known genesis hash (the fixture stores' format)", () => {
    expect(genesisHash("tr_0123456789abcdef")).toBe(old("vesper trace tr_0123456789abcdef"));
  });
});
