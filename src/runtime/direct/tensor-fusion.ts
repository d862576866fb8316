import { jsNumber, jsString } from "./js-literal.js";
import type { Op } from "./op-tree.js";
import { elementwise, reduce, softmax, softmaxRows, tiles } from "../../engine/float32-kernels.js";
import {
  elementText,
  type El,
  type FusedPlan,
  RESPECIALISATIONS,
  type ElementwisePlan,
  type SoftmaxPlan,
  specialise,
  specialiseElementwise,
  specialiseSoftmax,
} from "./tensor-specialise.js";
import { Decimal } from "../../values/decimal.js";
import { Tensor } from "../../values/values.js";

// Tensor fusion for the generated tier when the engine is the Float32Engine: an
// expression of elementwise operations (tensorArith, relu/exp/sqrt) and matmuls,
// optionally under an all-axis reduction (sum/mean/max/min) or softmax, becomes one
// loop over Float32Arrays with no Tensor and no engine call per operation; a matmul's
// elements are computed where the loop reads them (dot), never stored. It is
// bit-identical to the unfused path: every operation's result is rounded to float32
// where the engine would store it (Math.fround), intermediates the engine keeps in
// float64 (a reducer's running sum, a matmul's sum, softmax's exponentials) stay
// float64, elements are visited and summed in the same order. One operation on leaves
// (onLeaf) is the Float32Engine's kernel called directly.
//
// The fused function first reads its leaves (slots and number literals; a leaf that
// is another tensor expression is evaluated as the unfused code would). It runs only
// when every leaf is a Tensor or a float, every matmul's operands are rank-2 tensors
// whose inner dimensions agree, and every tensor leaf tiles the largest one
// (its shape, less leading 1s, is the tail of that one's, with no higher rank), so
// every broadcast is a plain repetition and the result has the largest leaf's shape.
// Otherwise (a shape the engine refuses or broadcasts otherwise, a value that is not
// a tensor, an unbound name, a leaf that throws) it returns the unfused expression, which
// gives the same answer or fails with the same code, message and place as before.
// Leaves are pure (slots, literals, tensor calls), so evaluating one twice is harmless.
// test/property/tensor-fusion-is-bit-identical.property.test.ts holds it to the unfused path.

/** What the generated code reaches as FT (a constant): the Tensor class, the tiling test, a matmul element, kernels. */
export const FUSION_RUNTIME = {
  Tensor,
  tiles,
  dot,
  softmax,
  softmaxRows,
  reduce,
  elementwise,
  specialise,
  specialiseSoftmax,
  specialiseElementwise,
};

type Call = Extract<Op, { k: "call" }>;

const ARITH: Record<string, string> = { "+": "+", "-": "-", "*": "*", "/": "/", "%": "%" };
/** The engine's name of each elementwise operator. */
const KERNEL: Record<string, string> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod" };
const UNARY = new Set(["relu", "exp", "sqrt"]);
const REDUCE = new Set(["sum", "mean", "max", "min"]);

/** The code generator's side of fusion: text for an operation, constants, hoisted functions. */
export interface FusionHost {
  /** The operation as the generator writes it, fusion included below the root. */
  expr(op: Op): string;
  /** The operation as the generator writes it without any fusion (the fallback). */
  unfused(op: Op): string;
  /** `K[i]` for the fusion runtime. */
  runtime(): string;
  /** `K[i]` for a constant object (a fused loop's plan, which holds its specialised loop). */
  constant(v: object): string;
  /**
   * Whether the expression being written is the whole value of a binding whose tensor may be
   * kept in reused storage (step-local.ts); asking answers once, so nested expressions never do.
   */
  scratch(): boolean;
  /**
   * Told of each function written with a specialised loop that can be tried first where it is
   * called: the call's text, the plan holding the loop, and the loop's arguments (slot reads and
   * literals only), so a plain run's assignment can call the loop without the function around it.
   */
  specialised(call: string, plan: string, args: string): void;
  /** Hoists a function whose text `make(name)` gives; returns its name. */
  hoist(make: (name: string) => string): string;
}

const constOf = (op: Op | undefined): unknown => (op?.k === "const" ? op.value : Symbol("not a constant"));

/** The elementwise operator of a tensorArith call, or undefined. */
function arithOf(op: Op): string | undefined {
  if (op.k !== "call" || op.fn !== "tensorArith") return undefined;
  const o = constOf(op.args[1]);
  return typeof o === "string" ? ARITH[o] : undefined;
}

/** The unary function of a tensorFn call (relu, exp, sqrt of one operand), or undefined. */
function unaryOf(op: Op): string | undefined {
  if (op.k !== "call" || op.fn !== "tensorFn" || constOf(op.args[3]) !== undefined) return undefined;
  const f = constOf(op.args[1]);
  return typeof f === "string" && UNARY.has(f) ? f : undefined;
}

/** The reducer of an all-axis reduction, or undefined. */
function reduceOf(op: Op): string | undefined {
  if (op.k !== "call" || op.fn !== "tensorFn" || constOf(op.args[3]) !== undefined) return undefined;
  const f = constOf(op.args[1]);
  return typeof f === "string" && REDUCE.has(f) ? f : undefined;
}

/** Whether an operation reads only slots and constants through tensor calls: pure, and text that needs only s, O, K, E. */
function pure(op: Op): boolean {
  if (op.k === "const" || op.k === "slot") return true;
  return op.k === "call" && (op.fn === "tensorArith" || op.fn === "tensorFn") && op.args.every(pure);
}

/**
 * A leaf's value: a slot read as it is (an unbound one is undefined, which sends the run to the unfused
 * expression), a number literal as the float tensorArith would make of it (F), anything else as the generator writes it.
 */
function leafText(op: Op, host: FusionHost): string {
  if (op.k === "slot") return `s[${op.index}]`;
  if (op.k === "const" && (typeof op.value === "bigint" || Decimal.isDecimal(op.value))) {
    const v = Number(op.value);
    return Number.isFinite(v) ? jsNumber(v) : host.expr(op);
  }
  return host.expr(op);
}

/**
 * A leaf of the element expression: a value read as it is (`op`), or a matmul of two
 * (`mm`), whose elements the loop computes where it reads them (dot), bit for bit the
 * engine's matmul element, instead of materialising the product.
 */
type Leaf =
  | {
      kind: "value";
      op: Op;
      /** A unary function's direct operand: it must be a tensor (relu of a float fails; sqrt of one is a float). */
      tensorOnly: boolean;
    }
  | { kind: "mm"; a: Op; b: Op };

/** Whether an operation is softmax(x). */
function isSoftmax(op: Op): op is Call {
  return op.k === "call" && op.fn === "tensorFn" && constOf(op.args[1]) === "softmax";
}

/** The operands of matmul(a, b), or undefined. */
function matmulOf(op: Op): [Op, Op] | undefined {
  if (op.k !== "call" || op.fn !== "tensorFn" || constOf(op.args[1]) !== "matmul") return undefined;
  return [op.args[2]!, op.args[3]!];
}

/** Element `j` (row-major) of the float32 matmul of x [?, k] and y [k, n], as the engine's kernel gives it. */
function dot(x: Float32Array | Float64Array, y: Float32Array | Float64Array, k: number, n: number, j: number): number {
  const c = j % n;
  const row = ((j - c) / n) * k;
  let acc = 0;
  for (let p = 0; p < k; p++) acc += x[row + p]! * y[p * n + c]!;
  return Math.fround(acc);
}

/**
 * The fused function for `op`, called as `Tn(s, m)`, or undefined when fusing would not
 * pay (fewer than two operations, a matmul counted as one: measured, one operation fused
 * is no faster than the engine's kernel), would always fall back (an all-axis reduction,
 * a float, where a tensor must be), or cannot apply (anything but elementwise operations
 * and matmuls over pure leaves, under at most one reduction).
 */
export function fuse(op: Op, host: FusionHost): string | undefined {
  const reuse = host.scratch();
  if (op.k !== "call" || !pure(op)) return undefined;
  const soft = isSoftmax(op);
  const reducer = soft ? undefined : reduceOf(op);
  const body = reducer || soft ? (op as Call).args[2]! : op;
  // One operation on a leaf: the kernel called directly where the leaf is what the operation takes.
  const opOf = (e: Op) => arithOf(e) ?? unaryOf(e) ?? matmulOf(e);
  if (soft && !opOf(body)) {
    // The kernel, and from the second run on its loop written for the shape last seen (tensor-specialise.ts).
    const P = host.constant({ fn: null, left: RESPECIALISATIONS } satisfies SoftmaxPlan);
    return onLeaf(
      op as Call,
      host,
      (a, FT) => [
        `${a} instanceof ${FT}.Tensor`,
        `(P.left > 0 && ${FT}.specialiseSoftmax(P, ${a}), ${FT}.softmax(${a}))`,
      ],
      false,
      [`  const P = ${P};`, "  if (P.fn !== null) { const r = P.fn(a); if (r !== undefined) return r; }"],
      P,
    );
  }
  if (reducer && !opOf(body))
    return onLeaf(op as Call, host, (a, FT) => [
      `${a} instanceof ${FT}.Tensor`,
      `${FT}.reduce(${jsString(reducer)}, ${a})`,
    ]);
  const u = unaryOf(op);
  if ((u === "sqrt" || u === "exp") && reduceOf((op as Call).args[2]!))
    return onLeaf(op as Call, host, (a) => [`typeof ${a} === "number"`, `Math.${u}(${a})`]);
  const arith = arithOf(op);
  const [l, r] = [(op as Call).args[2]!, (op as Call).args[3]!];
  if (arith && !opOf(l) && !opOf(r)) {
    // The kernel may refuse the shapes (its error becomes R105 on the unfused path): it falls back then too.
    const operand = (v: string, FT: string) => `(${v} instanceof ${FT}.Tensor || typeof ${v} === "number")`;
    // From the second run on, a tensor with a float (or with a tensor of its shape) runs its loop written
    // for the shape last seen (tensor-specialise.ts).
    const P = host.constant({ fn: null, left: RESPECIALISATIONS, op: arith } satisfies ElementwisePlan);
    return onLeaf(
      op as Call,
      host,
      (a, FT, b) => [
        `${operand(a, FT)} && ${operand(b!, FT)}`,
        `(P.left > 0 && ${FT}.specialiseElementwise(P, ${a}, ${b}), ${FT}.elementwise(${jsString(KERNEL[arith]!)}, ${a}, ${b}))`,
      ],
      true,
      [`  const P = ${P};`, "  if (P.fn !== null) { const r = P.fn(a, b); if (r !== undefined) return r; }"],
      P,
    );
  }
  const leaves: Leaf[] = [];
  let operations = reducer || soft ? 1 : 0;
  let floatWhereTensor = false;
  // The element expression as a tree over the leaves (x<k> is leaf k's element); see elementText.
  const element = (e: Op, tensorOnly: boolean): El => {
    const a = arithOf(e);
    if (a) {
      operations++;
      const [l, r] = [(e as Call).args[2]!, (e as Call).args[3]!];
      return { t: "arith", op: a, l: element(l, false), r: element(r, false) };
    }
    const u = unaryOf(e);
    if (u) {
      operations++;
      return { t: "unary", fn: u, x: element((e as Call).args[2]!, true) };
    }
    const mm = matmulOf(e);
    if (mm) {
      operations++;
      return { t: "leaf", k: leaves.push({ kind: "mm", a: mm[0], b: mm[1] }) - 1 };
    }
    // An all-axis reduction gives a float: where a tensor must be, the fused loop would always fall back.
    if (tensorOnly && reduceOf(e)) floatWhereTensor = true;
    return { t: "leaf", k: leaves.push({ kind: "value", op: e, tensorOnly }) - 1 };
  };
  // The body must be a tensor operation: a leaf alone is no fusion (softmax's operand may be a matmul).
  if (!arithOf(body) && !unaryOf(body) && !(soft && matmulOf(body))) return undefined;
  const tree = element(body, false);
  if (operations < 2 || floatWhereTensor) return undefined;
  // Every operation's result rounded as the engine stores it; each leaf's element at its running index j<k>.
  const value = elementText(tree, (k) =>
    leaves[k]!.kind === "mm" ? `FT.dot(x${k}, y${k}, K${k}, N${k}, j${k})` : `d${k}[j${k}]`,
  );
  const unfused = host.unfused(op);
  const FT = host.runtime();
  const fallback = host.hoist((name) => `function ${name}(s, m) {\n  return ${unfused};\n}`);
  const plan: FusedPlan = {
    tree,
    leaves: leaves.map((l) => (l.kind === "mm" ? "mm" : l.tensorOnly ? "tensor" : "value")),
    reducer: reducer as FusedPlan["reducer"],
    soft,
    reuse,
    fn: null,
    left: RESPECIALISATIONS,
  };
  const P = host.constant(plan);
  const call = host.hoist((name) => {
    const lines: string[] = [`function ${name}(s, m) {`, `  const FT = ${FT};`];
    // Every operand read, in the order the unfused expression reads them.
    const reads: [string, Op][] = [];
    for (const [k, leaf] of leaves.entries()) {
      if (leaf.kind === "value") reads.push([`a${k}`, leaf.op]);
      else reads.push([`a${k}`, leaf.a], [`b${k}`, leaf.b]);
    }
    const texts = reads.map(([v, o]) => `${v} = ${leafText(o, host)};`);
    if (reads.every(([, o]) => o.k === "slot" || o.k === "const")) {
      // Slot reads and literals cannot throw.
      for (const t of texts) lines.push(`  const ${t}`);
    } else {
      lines.push(`  let ${reads.map(([v]) => v).join(", ")};`);
      lines.push("  try {");
      for (const t of texts) lines.push(`    ${t}`);
      lines.push(`  } catch (err) {\n    return ${fallback};\n  }`);
    }
    // The loop written for the shapes last seen (tensor-specialise.ts), behind its guard on the shapes.
    const args = reads.map(([v]) => v).join(", ");
    lines.push(`  const P = ${P};`, `  if (P.fn !== null) { const r = P.fn(${args}); if (r !== undefined) return r; }`);
    // Each leaf's shape (null for a float) and size; the largest shape is the result's, and every other must tile it.
    lines.push("  let M = null, n = 1;");
    for (const [k, leaf] of leaves.entries()) {
      if (leaf.kind === "mm") {
        lines.push(
          `  if (!(a${k} instanceof FT.Tensor && b${k} instanceof FT.Tensor && a${k}.shape.length === 2 && b${k}.shape.length === 2 && a${k}.shape[1] === b${k}.shape[0])) return ${fallback};`,
          `  const x${k} = a${k}.data, y${k} = b${k}.data, K${k} = b${k}.shape[0], N${k} = b${k}.shape[1];`,
          `  const h${k} = [a${k}.shape[0], N${k}], n${k} = a${k}.shape[0] * N${k};`,
        );
      } else {
        const other = leaf.tensorOnly ? "" : ` else if (typeof a${k} === "number") { h${k} = null; n${k} = 1; }`;
        lines.push(
          `  let h${k}, n${k};`,
          `  if (a${k} instanceof FT.Tensor) { h${k} = a${k}.shape; n${k} = a${k}.data.length; }${other} else return ${fallback};`,
        );
      }
      lines.push(`  if (h${k} !== null && (M === null || h${k}.length > M.length)) { M = h${k}; n = n${k}; }`);
    }
    lines.push(`  if (M === null) return ${fallback};`);
    for (const k of leaves.keys())
      lines.push(
        `  if (h${k} !== null && h${k} !== M && (h${k}.length > M.length || !FT.tiles(h${k}, M))) return ${fallback};`,
      );
    lines.push(`  if (P.left > 0) FT.specialise(P, [${args}]);`);
    for (const [k, leaf] of leaves.entries()) {
      if (leaf.kind === "value") lines.push(`  const d${k} = h${k} !== null ? a${k}.data : [a${k}];`);
      lines.push(`  let j${k} = 0;`);
    }
    lines.push("  let t;");
    const step = leaves.map((_, k) => `j${k} = j${k} + 1 === n${k} ? 0 : j${k} + 1`).join(", ");
    if (!reducer) {
      lines.push("  const out = new Float32Array(n);");
      lines.push(`  for (let i = 0; i < n; i++, ${step}) out[i] = ${value};`);
      // softmax over the last axis of the elements as stored, in place, as the kernel does it.
      if (soft) lines.push("  FT.softmaxRows(out, out, M[M.length - 1] ?? 1);");
      // A matmul's shape is made here; any other is the leaf's own, copied as the engine copies it.
      const made = leaves.flatMap((l, k) => (l.kind === "mm" ? [`M === h${k}`] : []));
      lines.push(`  return new FT.Tensor(${made.length > 0 ? `${made.join(" || ")} ? M : ` : ""}M.slice(), out);`);
    } else if (reducer === "sum" || reducer === "mean") {
      lines.push("  let acc = 0;");
      lines.push(`  for (let i = 0; i < n; i++, ${step}) acc = acc + ${value};`);
      lines.push(`  return Math.fround(${reducer === "sum" ? "acc" : "acc / n"});`);
    } else {
      const [start, cmp] = reducer === "max" ? ["-Infinity", ">"] : ["Infinity", "<"];
      lines.push(`  let r = ${start};`);
      lines.push(`  for (let i = 0; i < n; i++, ${step}) { const v = ${value}; r = v ${cmp} r ? v : r; }`);
      lines.push("  return Math.fround(r);");
    }
    lines.push("}");
    return lines.join("\n");
  });
  const operands = leaves.flatMap((l) => (l.kind === "value" ? [l.op] : [l.a, l.b]));
  if (operands.every((o) => o.k === "slot" || o.k === "const"))
    host.specialised(call, P, operands.map((o) => leafText(o, host)).join(", "));
  return call;
}

/**
 * `fn(x)` or `x op y` of pure leaves (softmax of a tensor, an all-axis reduction of one,
 * sqrt or exp of a reduction's float, tensors and floats under an elementwise operator):
 * `take(a, FT, b)` gives the test that the leaves are what the kernel takes and the
 * kernel's call, which is exactly what the engine's path gives; any other leaf (or a read
 * that throws, or a call that throws when `mayThrow`) runs the unfused expression.
 */
function onLeaf(
  op: Call,
  host: FusionHost,
  take: (a: string, FT: string, b?: string) => [string, string],
  mayThrow = false,
  /** Lines run once the leaves are read, before the test. */
  first: string[] = [],
  /** The plan whose specialised loop `first` tries (FusionHost.specialised). */
  plan?: string,
): string {
  const reads: [string, Op][] = [["a", op.args[2]!]];
  if (mayThrow) reads.push(["b", op.args[3]!]);
  const unfused = host.unfused(op);
  const FT = host.runtime();
  const fallback = host.hoist((name) => `function ${name}(s, m) {\n  return ${unfused};\n}`);
  const texts = reads.map(([v, o]) => `${v} = ${leafText(o, host)};`);
  const read = reads.every(([, o]) => o.k === "slot" || o.k === "const")
    ? texts.map((t) => `  const ${t}`)
    : [
        `  let ${reads.map(([v]) => v).join(", ")};`,
        `  try {\n${texts.map((t) => `    ${t}\n`).join("")}  } catch (err) {\n    return ${fallback};\n  }`,
      ];
  const [test, call] = take("a", FT, "b");
  const result = mayThrow
    ? [
        `  if (!(${test})) return ${fallback};`,
        `  try {\n    return ${call};\n  } catch (err) {\n    return ${fallback};\n  }`,
      ]
    : [`  return ${test} ? ${call} : ${fallback};`];
  const hoisted = host.hoist((name) => [`function ${name}(s, m) {`, ...read, ...first, ...result, "}"].join("\n"));
  if (plan && reads.every(([, o]) => o.k === "slot" || o.k === "const"))
    host.specialised(hoisted, plan, reads.map(([, o]) => leafText(o, host)).join(", "));
  return hoisted;
}

/**
 * `o[i][j]` (at2) with `o` a slot and `i`, `j` integer literals: the element read in place
 * where `o` is a rank-2 tensor with that element, with the indices folded into the text;
 * anything else (another value, rank or size, an unbound name) runs the general at2,
 * which gives its answer or its failure. With `into` (a plain run's assignment, `s[k]`),
 * a statement that assigns it there, with no function call; else a call of a hoisted function.
 */
export function elementAt(op: Call, host: FusionHost, into?: string): string | undefined {
  const [o, i, j] = op.args;
  const [r, c] = [constOf(i), constOf(j)];
  if (o?.k !== "slot" || typeof r !== "bigint" || typeof c !== "bigint") return undefined;
  if (r < 0n || c < 0n || r > 0xffffn || c > 0xffffn) return undefined;
  const unfused = host.unfused(op);
  const FT = host.runtime();
  const test = `h.length === 2 && h[0] > ${r} && h[1] > ${c}`;
  const element = `o.data[${r === 0n ? "" : `${r} * h[1] + `}${c}]`;
  if (into !== undefined)
    return `{ const o = s[${o.index}]; let h; ${into} = o instanceof ${FT}.Tensor && ((h = o.shape), ${test}) ? ${element} : ${unfused}; }`;
  return host.hoist((name) =>
    [
      `function ${name}(s, m) {`,
      `  const o = s[${o.index}];`,
      `  if (o instanceof ${FT}.Tensor) {`,
      "    const h = o.shape;",
      `    if (${test}) return ${element};`,
      "  }",
      `  return ${unfused};`,
      "}",
    ].join("\n"),
  );
}
