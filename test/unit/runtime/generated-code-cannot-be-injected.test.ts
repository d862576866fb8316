import { describe, expect, it } from "vitest";
import { generate } from "../../../src/runtime/direct/codegen.js";
import { CodegenError, jsIdentifier, jsString } from "../../../src/runtime/direct/js-literal.js";
import { lowerNode } from "../../../src/runtime/direct/layout.js";
import { Float32Engine } from "../../../src/engine/float32-engine.js";
import { inputs, node, plain, runAll } from "../../helpers/runtimes.js";

// The generated tier writes JavaScript from a node. A hostile .vsp must not be able
// to run code it did not declare: strings become escaped literals, names are
// validated identifiers or constants passed by index.

const HOSTILE = [
  `"); globalThis.__pwned = 1; ("`,
  `'; globalThis.__pwned = 1; '`,
  "`${globalThis.__pwned = 1}`",
  `*/ globalThis.__pwned = 1; /*`,
  `\\"); globalThis.__pwned = 1; //`,
  "line\u2028globalThis.__pwned = 1;\u2029",
  `</script><script>globalThis.__pwned = 1</script>`,
];

/** A string literal in the expression language: single quotes, with \\ and \\' escaped. */
const vspString = (s: string) =>
  `'${s
    .replace(/\\/g, "\\\\")
    .replace(/'/g, "\\'")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029")}'`;

const echo = (text: string) =>
  node(`
node_id: sec.echo@1.0.0
type: function
inputs:
  name: string
outputs:
  success:
    greeting: string
    same: boolean
flow:
  - step: greet
    op: compute
    set:
      greeting: ${JSON.stringify(`name + ${vspString(text)}`)}
  - step: done
    op: return
    output: success
    values:
      greeting: "greeting"
      same: ${JSON.stringify(`greeting == name + ${vspString(text)}`)}
`);

describe("hostile strings in a .vsp cannot run code in generated JavaScript", () => {
  for (const text of HOSTILE) {
    it(`${JSON.stringify(text)} stays data`, async () => {
      delete (globalThis as Record<string, unknown>).__pwned;
      const p = echo(text);
      const runs = await runAll(p, inputs({ name: "ada" }));
      expect((globalThis as Record<string, unknown>).__pwned).toBeUndefined();
      for (const r of Object.values(runs)) expect(plain(r).output).toEqual({ greeting: `ada${text}`, same: true });
      const source = generate(lowerNode(p), new Float32Engine()).source;
      // The text appears only inside a JSON-escaped literal.
      expect(source).toContain(jsString(text));
      expect(source.split(jsString(text)).join("")).not.toContain("__pwned");
    });
  }

  it("identifiers are validated before they reach generated code", () => {
    for (const bad of ["a;b", "x = 1", "constructor()", "1abc", "return", "eval", "a.b", ""]) {
      expect(() => jsIdentifier(bad)).toThrow(CodegenError);
    }
    expect(jsIdentifier("check_amount")).toBe("check_amount");
  });

  it("jsString escapes the line separators JSON leaves raw", () => {
    expect(jsString("a\u2028b\u2029c")).toBe('"a\\u2028b\\u2029c"');
    expect(new Function(`return ${jsString(HOSTILE[5]!)};`)()).toBe(HOSTILE[5]);
  });
});
