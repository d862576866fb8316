// Every node the examples hold, and nodes written from docs/vesper-ir.md 3–4.3, compile to an AST
// of the shape docs/vesper-ir.md 11.2 documents, checked by test/helpers/ast-shape.ts (written from
// the doc, not from src/ir/ast.ts).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { checkAstShape } from "../helpers/ast-shape.js";
import { cli, ROOT } from "../helpers/cli.js";

function validExamples(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const rel = join(dir, e.name);
      if (e.isDirectory() && e.name !== "invalid") walk(rel);
      else if (e.name.endsWith(".vsp")) out.push(rel);
    }
  };
  walk("examples");
  return out;
}

function astProblems(file: string, cwd = ROOT): string[] {
  const r = cli("vesper", ["compile", file, "--emit", "ast"], { cwd });
  if (r.status !== 0) return [`exit ${r.status}: ${r.stderr.slice(0, 300)}`];
  return checkAstShape(r.stdout, readFileSync(join(cwd, file), "utf8"));
}

describe("the AST has the shape docs/vesper-ir.md 11.2 documents", () => {
  for (const file of validExamples()) {
    it(`for ${file}`, () => {
      expect(astProblems(file)).toEqual([]);
    });
  }
});

// Nodes written from docs/vesper-ir.md 3–4.3: every type form, spelled as the grammar allows
// (spaces, tabs, quotes, block scalars), a record with a description, no intent, no states.
const TYPES_NODE = `node_id: shapes.every_type@0.1.0
type: model
types:
  Item:
    description: one line
    fields:
      sku: string
      price: {type: decimal, constraints: ["price >= 0"], scale: 2, description: what it costs}
      next: {type: Item, required: false}
    constraints: "price > 0"
inputs:
  a: "array< map < string ,\tinteger > >"
  b: 'set<enum[''with space'', "x", a.b-c]>'
  c: 'tensor<float32, [2, n, ?]>'
  d: "tensor<float64, []>"
  e:
    type: >-
      map<string,
      Item>
  f: {type: integer, default: 9223372036854775807}
  g: {type: timestamp, required: false}
  h: bytes
  i: boolean
  j: float
outputs:
  success: {}
flow:
  - {step: r, op: return, output: success, values: {}}
samples:
  first: {a: [], b: [x], c: [[[1]], [[2]]], d: 1.5, e: {}, h: "00ff", i: true, j: 1}
`;

/** Writes a node to a fresh folder and returns [folder, file name]. */
function written(name: string, text: string): [string, string] {
  const dir = mkdtempSync(join(tmpdir(), "ast-shape-"));
  writeFileSync(join(dir, name), text);
  return [dir, name];
}

describe("the AST of nodes written from the doc has the documented shape", () => {
  it("for every type form, with the record's description kept and intent and states left out", () => {
    const [dir, file] = written("types.vsp", TYPES_NODE);
    expect(astProblems(file, dir)).toEqual([]);
    const node = JSON.parse(cli("vesper", ["compile", file, "--emit", "ast"], { cwd: dir }).stdout).node;
    expect("intent" in node).toBe(false);
    expect("states" in node).toBe(false);
    expect(node.types[0]).toMatchObject({ name: "Item", description: "one line" });
    const f = node.inputs.find((i: { name: string }) => i.name === "f");
    expect(f.default).toMatchObject({ text: "9223372036854775807", loc: f.defaultLoc });
    expect(node.samples[0].values.c).toMatchObject({ items: [{ items: [{ items: [{ value: 1, text: "1" }] }] }, {}] });
    expect(node.samples[0].values.e).toMatchObject({ entries: {} });
    expect(node.inputs.find((i: { name: string }) => i.name === "d").type).toEqual({
      kind: "tensor",
      dtype: "float64",
      shape: [],
    });
  });

  it("with CRLF line ends, a byte-order mark and characters outside the BMP before a located value", () => {
    const text = `\ufeff${TYPES_NODE.replace("one line", '"\u{1F600} one line"')}`.replaceAll("\n", "\r\n");
    const [dir, file] = written("crlf.vsp", text);
    expect(astProblems(file, dir)).toEqual([]);
  });
});

// metadata as docs/vesper-ir.md 11.2 writes it: values JSON cannot hold exactly, and the YAML 1.1 tags
// yaml reads, before an integer beyond 2^53 printed as a rounded number and !!binary as a Buffer object.
const METADATA_NODE = `node_id: shapes.metadata@0.1.0
type: model
metadata:
  owner: team
  big: 9223372036854775807
  small: -12
  ratio: 0.25
  nan: .nan
  inf: -.inf
  bin: !!binary aGVsbG8=
  when: !!timestamp 2001-12-14
  tags: !!set {a, b}
  order: !!omap [{x: 1}, {y: [1, {z: null}]}]
inputs:
  n: {type: integer, default: 9223372036854775807}
outputs:
  success: {}
flow: []
samples:
  one: {n: -9223372036854775808}
`;

describe("metadata in the AST", () => {
  it("is written as JSON that loses nothing: bigints and non-finite numbers by their spelling, !!binary as base64", () => {
    const [dir, file] = written("metadata.vsp", METADATA_NODE);
    expect(astProblems(file, dir)).toEqual([]);
    const node = JSON.parse(cli("vesper", ["compile", file, "--emit", "ast"], { cwd: dir }).stdout).node;
    expect(node.metadata).toEqual({
      owner: "team",
      big: "9223372036854775807",
      small: -12,
      ratio: 0.25,
      nan: ".nan",
      inf: "-.inf",
      bin: "aGVsbG8=",
      when: "2001-12-14T00:00:00.000Z",
      tags: { a: null, b: null },
      order: [{ x: 1 }, { y: [1, { z: null }] }],
    });
    expect(node.inputs[0].default).toMatchObject({ text: "9223372036854775807", value: 9223372036854775807 });
    expect(node.samples[0].values.n).toMatchObject({ text: "-9223372036854775808" });
  });
});

describe("the AST shape checker", () => {
  let paymentAst: string | undefined;
  const printedPayment = () => {
    paymentAst ??= cli("vesper", ["compile", "examples/payment.vsp", "--emit", "ast"]).stdout;
    return paymentAst;
  };

  it("finds a bigint written as a number, a Buffer in metadata and a default number without its text", () => {
    const ast = JSON.parse(printedPayment());
    ast.node.metadata.big = 2 ** 63;
    ast.node.metadata.bin = { type: "Buffer", data: [104, 105] };
    ast.node.samples[0].values[Object.keys(ast.node.samples[0].values)[0]] = { loc: ast.node.nodeId.loc, value: 1 };
    const problems = checkAstShape(
      `${JSON.stringify(ast, null, 2)}\n`,
      readFileSync(join(ROOT, "examples/payment.vsp"), "utf8"),
    );
    expect(problems.filter((p) => p.startsWith("$.node.metadata.big:"))).toHaveLength(1);
    expect(problems.filter((p) => p.startsWith("$.node.metadata.bin:"))).toHaveLength(1);
    expect(problems.some((p) => p.includes("a number without text"))).toBe(true);
  });

  it("finds a loc whose line:col is not where its offset lies, and a field declaration without typeText", () => {
    const ast = JSON.parse(printedPayment());
    ast.node.nodeId.loc.col += 1;
    delete ast.node.inputs[0].typeText;
    const problems = checkAstShape(
      `${JSON.stringify(ast, null, 2)}\n`,
      readFileSync(join(ROOT, "examples/payment.vsp"), "utf8"),
    );
    expect(problems.some((p) => p.startsWith("$.node.nodeId: loc"))).toBe(true);
    expect(problems.some((p) => p.startsWith("$.node.inputs[0].typeText"))).toBe(true);
  });
});
