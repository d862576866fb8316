import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILTINS } from "../../src/expr/builtins.js";
import { validateSource } from "../../src/ir/validate.js";
import { VRecord } from "../../src/values/values.js";
import { inputs, node, plain, runAll } from "../helpers/runtimes.js";

// Every name a node uses is looked up among its own declarations only: built-in
// functions, tools, record fields, enum values, types and bindings. Names that
// JavaScript objects inherit ('toString', 'constructor', '__proto__', …) and any
// other undeclared name are reported by the validator with the right V-code at the
// name's position, so neither runtime ever meets them.

const INHERITED = [
  ...Object.getOwnPropertyNames(Object.prototype),
  ...Object.getOwnPropertyNames(Function.prototype),
  "__proto__",
  "prototype",
].filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n));

const DECLARED = new Set([...Object.keys(BUILTINS), "x", "p", "plan", "amount", "r", "ok", "true", "false", "null"]);
const identifiers = fc
  .oneof(fc.constantFrom(...INHERITED), fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/))
  .filter((n) => !DECLARED.has(n));

/** A valid node with one hole: `expr` is the value of a compute step (line 18). */
function nodeWith(expr: string, tool = "sim.kv.get", type = "integer") {
  return `node_id: own.keys@1.0.0
type: function
types:
  Point:
    fields: {x: integer}
inputs:
  p: {type: Point}
  plan: {type: "enum[free, pro]"}
  amount: {type: ${type}}
outputs:
  success: {ok: boolean}
security:
  capabilities_required: [kv.read]
flow:
  - step: c
    op: compute
    set:
      r: "${expr}"
  - step: get
    op: call
    tool: ${tool}
    args: {key: "'k'"}
    bind: got
  - step: ret
    op: return
    output: success
    values: {ok: "true"}
`;
}

const codes = (text: string) =>
  validateSource("own.vsp", text)
    .diagnostics.filter((d) => d.severity === "error")
    .map((d) => `${d.code}@${d.line}:${d.col}`);

describe("names resolve among a node's own declarations only", () => {
  it("the template itself is valid", () => {
    expect(codes(nodeWith("p.x + amount"))).toEqual([]);
  });

  it("an undeclared function name is V402 at the name", () => {
    fc.assert(
      fc.property(identifiers, (name) => {
        expect(codes(nodeWith(`${name}(amount)`))).toEqual(["V402@18:11"]);
      }),
    );
  });

  it("an undeclared name is V401 at the name", () => {
    fc.assert(
      fc.property(identifiers, (name) => {
        expect(codes(nodeWith(`amount + ${name}`))).toEqual(["V401@18:20"]);
      }),
    );
  });

  it("a field the record type does not declare is V411 at the field", () => {
    fc.assert(
      fc.property(identifiers, (name) => {
        expect(codes(nodeWith(`p.${name}`))).toEqual(["V411@18:13"]);
      }),
    );
  });

  it("a value the enum does not list is V413 at the value", () => {
    fc.assert(
      fc.property(identifiers, (name) => {
        expect(codes(nodeWith(`plan == '${name}'`))).toEqual(["V413@18:19"]);
      }),
    );
  });

  it("a tool the registry does not have is R205 on every runtime (tools are resolved when called)", async () => {
    await fc.assert(
      fc.asyncProperty(
        identifiers.map((n) => n.toLowerCase()).filter((n) => /^[a-z][a-z0-9_]*$/.test(n) && n !== "kv"),
        async (name) => {
          const p = node(nodeWith("amount", `sim.${name}`), "own.vsp");
          const runs = await runAll(
            p,
            inputs({ p: new VRecord("Point", new Map([["x", 1n]])), plan: "free", amount: 1n }),
          );
          for (const r of Object.values(runs)) expect(plain(r).failure).toMatchObject({ code: "R205" });
        },
      ),
      { numRuns: 40 },
    );
  });

  it("a type nobody declared is V200", () => {
    fc.assert(
      fc.property(
        identifiers.filter(
          (n) =>
            ![
              "string",
              "integer",
              "decimal",
              "boolean",
              "bytes",
              "timestamp",
              "float",
              "tensor",
              "array",
              "map",
              "set",
              "enum",
              "Point",
            ].includes(n),
        ),
        (name) => {
          expect(codes(nodeWith("amount", "sim.kv.get", name)).map((c) => c.split("@")[0])).toContain("V200");
        },
      ),
    );
  });
});
