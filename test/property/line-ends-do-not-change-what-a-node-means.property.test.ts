import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateSource } from "../../src/ir/validate.js";
import { ROOT } from "../helpers/cli.js";

// YAML reads LF, CRLF and a lone CR (old Mac files) alike as a line break. For every
// bundled example, valid or not, any mix of the three line ends gives the same
// diagnostics at the same line and column as the file with LF only. (A CR directly
// before an LF is a CRLF, one line end, as YAML reads it.)

const examples = [join(ROOT, "examples"), join(ROOT, "examples/invalid")].flatMap((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith(".vsp"))
    .map((f) => join(d, f)),
);

const seen = (text: string) =>
  validateSource("x.vsp", text).diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`);

describe("line ends", () => {
  it("any mix of LF, CRLF and CR per line reads as the LF file", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...examples),
        fc.array(fc.constantFrom("\n", "\r\n", "\r"), { minLength: 1 }),
        (file, ends) => {
          const lines = readFileSync(file, "utf8").split("\n");
          const chunks = lines.map((l, i) => l + (i < lines.length - 1 ? ends[i % ends.length]! : ""));
          // A CR right before an LF is one CRLF line end, not two: such a CR is written as CRLF.
          const mixed = chunks
            .map((c, i) => (c.endsWith("\r") && chunks[i + 1]?.startsWith("\n") ? `${c}\n` : c))
            .join("");
          expect(seen(mixed)).toEqual(seen(lines.join("\n")));
        },
      ),
      { numRuns: 60 },
    );
  });
});
