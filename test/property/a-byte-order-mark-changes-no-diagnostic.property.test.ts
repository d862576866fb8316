// The class behind a-byte-order-mark-is-not-a-column: for every invalid example, and for nodes with
// problems on line 1 (a random node_id, a type in a flow mapping), with LF or CRLF line ends, a
// leading byte-order mark changes no diagnostic (code, line, column, end, message).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateSource } from "../../src/ir/validate.js";
import { ROOT } from "../helpers/cli.js";

const dir = join(ROOT, "examples/invalid");
const files = readdirSync(dir).filter((f) => f.endsWith(".vsp"));
const shown = (text: string) =>
  validateSource("n.vsp", text).diagnostics.map(
    (d) => `${d.code} ${d.line}:${d.col}-${d.endLine}:${d.endCol} ${d.message}`,
  );

describe("a byte-order mark", () => {
  it("changes no diagnostic of any invalid example", () => {
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.boolean(), (file, crlf) => {
        const text = readFileSync(join(dir, file), "utf8").replaceAll("\n", crlf ? "\r\n" : "\n");
        const plain = shown(text);
        expect(plain.length).toBeGreaterThan(0);
        expect(shown(`\ufeff${text}`)).toEqual(plain);
      }),
      { numRuns: 60 },
    );
  });

  it("changes no diagnostic on line 1", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_.@-]{1,14}$/),
        fc.constantFrom("Widget", "array<", "tensor<float16, [2]>", "enum[A, A]", "string"),
        fc.boolean(),
        (id, type, crlf) => {
          const text = `{node_id: "${id}", type: t, flow: [], inputs: {x: "${type}"}}\n`;
          const withEnds = crlf ? text.replace("\n", "\r\n") : text;
          expect(shown(`\ufeff${withEnds}`)).toEqual(shown(withEnds));
        },
      ),
      { numRuns: 200 },
    );
  });
});
