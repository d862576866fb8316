// Random valid nodes, written as an outside user would write them from
// docs/vesper-ir.md, with inputs to run them on: typed expression trees over
// decimals (inputs with and without a declared scale, literals at any scale),
// integers (to the 64-bit edges), floats (NaN, ±Infinity, -0 included), booleans,
// strings (outside the BMP too) and arrays of records; bindings spread over steps
// (so scaled values cross step boundaries), a branch, a validate, a guard, a
// fallback, postconditions on output, and outputs with and without `scale`.
// Every generated expression type-checks; the tests that use it check that.
import fc from "fast-check";
import { ROUNDING_MODES } from "../../src/expr/builtins.js";
import { Decimal } from "../../src/values/decimal.js";
import { VRecord, type Value } from "../../src/values/values.js";
import { anyDecimal, moneyDecimal } from "./decimal-arbitraries.js";

type Kind = "decimal" | "integer" | "float" | "boolean";

const MAX = 2n ** 63n - 1n;
const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);

const decimalLiteral = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 8 }))
  .map(([m, k]) => (k === 0 ? `${m}.0` : new Decimal(`${m}e-${k}`).toFixed(k)));
const intLiteral = fc.oneof(fc.bigInt({ min: 0n, max: 1000n }), pick(0n, 1n, 2n, 4294967296n, MAX)).map(String);
const floatLiteral = fc.double({ noNaN: true, noDefaultInfinity: true, min: 0 }).map((x) => {
  // A float literal is a decimal literal next to a float (the decimal–float rule); keep its text short.
  const t = Math.abs(x) < 1e-6 || Math.abs(x) > 1e15 ? "1.5" : String(x);
  return t.includes(".") || t.includes("e") ? t : `${t}.0`;
});
const places = fc.integer({ min: 0, max: 6 });
const mode = pick(...ROUNDING_MODES);

/** The names of each kind an expression may read. */
export interface Scope {
  decimal: string[];
  integer: string[];
  float: string[];
  boolean: string[];
}

/**
 * Arbitraries already built, by kind, depth and scope: building one is eager (each level
 * makes ~15 alternatives of the level below), so a depth-3 expression is thousands of
 * arbitrary objects, and bindings() asks for one per binding on every generated node.
 * Scopes repeat (binding names are fixed by position), so the cache stays small.
 */
const built = new Map<string, fc.Arbitrary<string>>();

export function expression(kind: Kind, scope: Scope, depth: number): fc.Arbitrary<string> {
  const key = `${kind}|${depth}|${scope.decimal}|${scope.integer}|${scope.float}|${scope.boolean}`;
  let arb = built.get(key);
  if (arb === undefined) built.set(key, (arb = buildExpression(kind, scope, depth)));
  return arb;
}

function buildExpression(kind: Kind, scope: Scope, depth: number): fc.Arbitrary<string> {
  const d = (k: Kind) => expression(k, scope, depth - 1);
  const names = (k: Kind) => (scope[k].length ? [pick(...scope[k])] : []);
  if (depth <= 0) {
    switch (kind) {
      case "decimal":
        return fc.oneof(...names("decimal"), decimalLiteral);
      case "integer":
        return fc.oneof(...names("integer"), intLiteral);
      case "float":
        return fc.oneof(
          ...names("float"),
          floatLiteral.map((l) => `FLOAT(${l})`),
        );
      case "boolean":
        return fc.oneof(...names("boolean"), pick("true", "false"));
    }
  }
  const bin = (k: Kind, ops: string[]) => fc.tuple(d(k), pick(...ops), d(k)).map(([a, o, b]) => `(${a} ${o} ${b})`);
  switch (kind) {
    case "decimal":
      return fc.oneof(
        { arbitrary: d("decimal"), weight: 2 },
        { arbitrary: bin("decimal", ["+", "-", "*", "*", "/", "%"]), weight: 4 },
        fc.tuple(d("decimal"), pick("+", "-", "*"), d("integer")).map(([a, o, b]) => `(${a} ${o} ${b})`),
        fc.tuple(d("integer"), d("integer")).map(([a, b]) => `(${a} / ${b})`),
        d("decimal").map((a) => `-${a}`),
        d("decimal").map((a) => `ABS(${a})`),
        { arbitrary: fc.tuple(d("decimal"), places, mode).map(([a, p, m]) => `ROUND(${a}, ${p}, '${m}')`), weight: 3 },
        fc.tuple(d("decimal"), places).map(([a, p]) => `ROUND(${a}, ${p})`),
        fc.tuple(d("decimal"), d("decimal")).map(([a, b]) => `MIN(${a}, ${b})`),
        fc.tuple(d("decimal"), d("integer")).map(([a, b]) => `MAX(${a}, ${b})`),
        fc.tuple(d("float"), places).map(([a, p]) => `DECIMAL(${a}, ${p})`),
        fc.tuple(d("integer"), places).map(([a, p]) => `DECIMAL(${a}, ${p})`),
        d("decimal").map((a) => `SUM(r IN recs: r.price * r.qty + ${a})`),
        pick("SUM(r IN recs: r.price)", "SUM(ds)", "MAX(r IN recs: r.price)", "MIN(ds)"),
        fc.tuple(d("decimal"), d("decimal")).map(([a, b]) => `SUM(x IN [${a}, ${b}]: x)`),
        // A binder named like an input shadows it inside the body only.
        d("decimal").map((e) => `(SUM(a IN ds: a * ${e}) + a)`),
        d("decimal").map((e) => `MAX(b IN [${e}, b]: b - a)`),
      );
    case "integer":
      return fc.oneof(
        { arbitrary: d("integer"), weight: 2 },
        { arbitrary: bin("integer", ["+", "-", "*", "%"]), weight: 3 },
        d("integer").map((a) => `-${a}`),
        d("integer").map((a) => `ABS(${a})`),
        fc.tuple(d("integer"), d("integer")).map(([a, b]) => `MIN(${a}, ${b})`),
        d("integer").map((e) => `(COUNT(i IN xs: i > ${e}) + i)`),
        pick("LEN(s)", "LEN(recs)", "COUNT(r IN recs: r.qty > 1)", "SUM(r IN recs: r.qty)", "SUM(xs)", "MAX(xs)"),
        fc.tuple(d("integer"), places).map(([a, p]) => `ROUND(${a}, ${p})`),
      );
    case "float":
      return fc.oneof(
        { arbitrary: d("float"), weight: 2 },
        { arbitrary: bin("float", ["+", "-", "*", "/", "%"]), weight: 3 },
        fc.tuple(d("float"), pick("+", "-", "*", "/"), floatLiteral).map(([a, o, b]) => `(${a} ${o} ${b})`),
        fc.tuple(d("float"), pick("+", "*"), d("integer")).map(([a, o, b]) => `(${a} ${o} ${b})`),
        d("decimal").map((a) => `FLOAT(${a})`),
        d("integer").map((a) => `FLOAT(${a})`),
        d("float").map((a) => `-${a}`),
        d("float").map((a) => `ABS(${a})`),
        fc.tuple(d("float"), places, mode).map(([a, p, m]) => `ROUND(${a}, ${p}, '${m}')`),
        fc.tuple(d("float"), d("float")).map(([a, b]) => `MAX(${a}, ${b})`),
        d("float").map((a) => `sqrt(${a})`),
        pick("SUM(fs)", "MIN(fs)", "MAX(x IN fs: x)"),
      );
    case "boolean":
      return fc.oneof(
        { arbitrary: d("boolean"), weight: 1 },
        fc
          .tuple(d("decimal"), pick("==", "!=", "<", "<=", ">", ">="), d("decimal"))
          .map(([a, o, b]) => `${a} ${o} ${b}`),
        fc.tuple(d("decimal"), pick("==", "!=", "<", ">=")).map(([a, o]) => `${a} ${o} 0`),
        fc.tuple(d("decimal"), pick("==", "<", ">="), d("integer")).map(([a, o, b]) => `${a} ${o} ${b}`),
        fc.tuple(d("integer"), pick("==", "!=", "<", ">"), d("integer")).map(([a, o, b]) => `${a} ${o} ${b}`),
        fc.tuple(d("float"), pick("==", "!=", "<", "<=", ">", ">="), d("float")).map(([a, o, b]) => `${a} ${o} ${b}`),
        fc.tuple(d("float"), pick("==", "<", ">="), floatLiteral).map(([a, o, b]) => `${a} ${o} ${b}`),
        fc.tuple(d("boolean"), pick("AND", "OR"), d("boolean")).map(([a, o, b]) => `(${a} ${o} ${b})`),
        d("boolean").map((a) => `NOT (${a})`),
        d("decimal").map((a) => `EXISTS r IN recs: r.price * r.qty > ${a}`),
        d("decimal").map((a) => `(FORALL r IN recs: r.price <= ${a})`),
        pick("s < t", "s CONTAINS t", "LEN(s) == LEN(t)", "o == null", "f != f"),
      );
  }
}

const KINDS: Kind[] = ["decimal", "integer", "float", "boolean"];

export interface RandomNode {
  yaml: string;
  inputs: Record<string, Value>;
  others: Record<string, Value>[];
}

const outType = (k: Kind, scale: number | undefined) =>
  scale === undefined || k !== "decimal" ? `{type: ${k}}` : `{type: ${k}, scale: ${scale}}`;

/** One binding: its name, kind and expression text. */
interface Binding {
  name: string;
  kind: Kind;
  text: string;
}

function bindings(scope: Scope, prefix: string, count: number, depth: number): fc.Arbitrary<Binding[]> {
  if (count === 0) return fc.constant([]);
  return pick(...KINDS).chain((kind) =>
    expression(kind, scope, depth).chain((text) => {
      const b = { name: `${prefix}${count}`, kind, text };
      const next: Scope = { ...scope, [kind]: [...scope[kind], b.name] };
      return bindings(next, prefix, count - 1, depth).map((rest) => [b, ...rest]);
    }),
  );
}

const yamlString = (s: string) => JSON.stringify(s);
const setOf = (bs: Binding[], indent: string) => bs.map((b) => `${indent}${b.name}: ${yamlString(b.text)}`).join("\n");

const floatValue = fc.oneof(
  { arbitrary: fc.double({ noNaN: true, min: -1e6, max: 1e6 }), weight: 4 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: pick(0, -0, Number.NaN, Number.POSITIVE_INFINITY, -1, 0.5, 2.675), weight: 1 },
);
const intValue = fc.oneof(
  { arbitrary: fc.bigInt({ min: -1000n, max: 1000n }), weight: 4 },
  { arbitrary: pick(0n, 1n, -1n, MAX, -MAX - 1n, 4294967296n, 3037000500n), weight: 1 },
  { arbitrary: fc.bigInt({ min: -MAX - 1n, max: MAX }), weight: 1 },
);
const decValue = anyDecimal(moneyDecimal(-(10n ** 9n), 10n ** 9n), 3);
const stringValue = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.string({ unit: "grapheme", maxLength: 4 }),
  pick("😀", "\uffff", "a😀b", ""),
);
const rec = fc.tuple(decValue, fc.bigInt({ min: -3n, max: 5n })).map(
  ([price, qty]) =>
    new VRecord(
      "Line",
      new Map<string, Value>([
        ["price", price],
        ["qty", qty],
      ]),
    ),
);

/** One set of inputs for a random node (the optional `o` is left out a third of the time). */
const inputSet: fc.Arbitrary<Record<string, Value>> = fc
  .record({
    a: decValue,
    b: decValue,
    i: intValue,
    j: intValue,
    f: floatValue,
    g: floatValue,
    o: fc.option(decValue),
    s: stringValue,
    t: stringValue,
    r0: rec,
    recs: fc.array(rec, { maxLength: 3 }),
    ds: fc.array(decValue, { maxLength: 3 }),
    xs: fc.array(intValue, { maxLength: 3 }),
    fs: fc.array(floatValue, { maxLength: 3 }),
  })
  .map(({ o, ...rest }) => (o === null ? rest : { ...rest, o }) as Record<string, Value>);

/** A random node, inputs for it, and up to three more sets of inputs for runs after the first. */
export const randomNode: fc.Arbitrary<RandomNode> = fc
  .record({
    scales: fc.tuple(fc.option(fc.integer({ min: 0, max: 4 })), fc.option(fc.integer({ min: 0, max: 4 }))),
    depth: fc.integer({ min: 1, max: 3 }),
  })
  .chain(({ scales, depth }) => {
    const scope: Scope = {
      decimal: ["a", "b", "r0.price"],
      integer: ["i", "j", "r0.qty"],
      float: ["f", "g"],
      boolean: [],
    };
    return fc
      .record({
        first: bindings(scope, "x", 3, depth),
        cond: expression("boolean", scope, 1),
        inputCheck: usuallyTrue(expression("boolean", scope, 1)),
        pre: usuallyTrue(expression("boolean", scope, 1)),
        lineCheck: usuallyTrue(
          fc.oneof(
            fc
              .tuple(
                pick("price", "price * qty", "-price", "ROUND(price, 1, 'HALF_EVEN')"),
                pick("<", ">=", "!="),
                decimalLiteral,
              )
              .map(([l, o, r]) => `${l} ${o} ${r}`),
            pick("qty > -3", "price * qty >= -1000", "price != 0.5"),
          ),
        ),
        outScales: fc.array(fc.option(fc.integer({ min: 0, max: 4 })), { minLength: 6, maxLength: 6 }),
      })
      .chain(({ first, cond, outScales, inputCheck, pre, lineCheck }) => {
        const after: Scope = { ...scope };
        for (const b of first) after[b.kind] = [...after[b.kind], b.name];
        return fc
          .record({
            second: bindings(after, "y", 2, depth),
            guard: usuallyTrue(expression("boolean", after, 1)),
            check: usuallyTrue(expression("boolean", after, 1)),
          })
          .chain(({ second, guard, check }) => {
            const all = [...first, ...second];
            const outs = all.map((b, n) => `    ${b.name}: ${outType(b.kind, outScales[n] ?? undefined)}`).join("\n");
            const post = all
              .filter((b) => b.kind === "decimal" || b.kind === "integer")
              .map((b) => `    - "output.${b.name} == ${b.name}"`)
              .join("\n");
            const yaml = `
node_id: random.node@1.0.0
type: function
types:
  Line:
    fields:
      price: {type: decimal, scale: 2}
      qty: integer
    constraints: [${yamlString(lineCheck)}]
inputs:
  a: {type: decimal${scales[0] === null ? "" : `, scale: ${scales[0]}`}, constraints: [${yamlString(inputCheck)}]}
  b: {type: decimal${scales[1] === null ? "" : `, scale: ${scales[1]}`}}
  i: integer
  j: integer
  f: float
  g: float
  o: {type: decimal, required: false}
  s: string
  t: string
  r0: Line
  recs: array<Line>
  ds: array<decimal>
  xs: array<integer>
  fs: array<float>
outputs:
  success:
${outs}
  error:
    code: string
    message: string
contracts:
  preconditions: [${yamlString(pre)}]
  postconditions:
${post || '    - "true"'}
flow:
  - step: first
    op: compute
    set:
${setOf(first, "      ")}
  - step: gate
    op: validate
    check: ${yamlString(check)}
    error: {code: GATE, message: "the gate is closed"}
  - step: fork
    op: branch
    if: ${yamlString(cond)}
    then:
      - step: second
        op: compute
        guards: [${yamlString(guard)}]
        set:
${setOf(second, "          ")}
        error_handling:
          fallback:
            set:
${second.map((b) => `              ${b.name}: ${yamlString(zero(b.kind))}`).join("\n")}
    else:
      - step: other
        op: compute
        set:
${second.map((b) => `          ${b.name}: ${yamlString(zero(b.kind))}`).join("\n")}
  - step: done
    op: return
    output: success
    values:
${all.map((b) => `      ${b.name}: ${b.name}`).join("\n")}
`;
            return fc
              .array(inputSet, { minLength: 1, maxLength: 4 })
              .map(([inputs, ...others]) => ({ yaml, inputs: inputs!, others }));
          });
      });
  });

/** A condition that is still evaluated (its failures count) but holds three times in four. */
const usuallyTrue = (cond: fc.Arbitrary<string>) =>
  fc.oneof({ arbitrary: cond, weight: 1 }, { arbitrary: cond.map((c) => `(${c}) OR true`), weight: 3 });

function zero(k: Kind): string {
  return k === "decimal" ? "0.0" : k === "integer" ? "0" : k === "float" ? "FLOAT(0)" : "false";
}
