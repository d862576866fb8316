import { jsNumber } from "./js-literal.js";
import type { Op } from "./op-tree.js";
import { tiles } from "../../engine/float32-kernels.js";
import { Decimal } from "../../values/decimal.js";
import { Tensor } from "../../values/values.js";

// Tensor fusion for the generated tier when the engine is the Float32Engine: an
// expression of elementwise operations (tensorArith, relu/exp/sqrt), optionally under
// an all-axis reduction (sum/mean/max/min), becomes one loop over Float32Arrays with
// no Tensor and no engine call per operation. It is bit-identical to the unfused
// path: every operation's result is rounded to float32 where the engine would store
// it (Math.fround), intermediates the engine keeps in float64 (a reducer's running
// sum) stay float64, elements are visited in the same order.
//
// The fused function first reads its leaves (slots and number literals; a leaf that
// is another tensor expression is evaluated as the unfused code would). It runs only
// when every leaf is a Tensor or a float and every tensor leaf tiles the largest one
// (its shape, less leading 1s, is the tail of that one's, with no higher rank), so
// every broadcast is a plain repetition and the result has the largest leaf's shape.
// Otherwise (a shape the engine refuses or broadcasts otherwise, a value that is not
// a tensor, an unbound name, a leaf that throws) it returns the unfused expression, which
// gives the same answer or fails with the same code, message and place as before.
// Leaves are pure (slots, literals, tensor calls), so evaluating one twice is harmless.
// test/property/tensor-fusion-is-bit-identical.property.test.ts holds it to the unfused path.

/** What the generated code reaches as FT (a constant): the Tensor class and the tiling test. */
export const FUSION_RUNTIME = { Tensor, tiles };

type Call = Extract<Op, { k: "call" }>;

const ARITH: Record<string, string> = { "+": "+", "-": "-", "*": "*", "/": "/", "%": "%" };
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

interface Leaf {
  op: Op;
  /** A unary function's direct operand: it must be a tensor (relu of a float fails; sqrt of one is a float). */
  tensorOnly: boolean;
}

/**
 * The fused function for `op`, called as `Tn(s, m)`, or undefined when fusing would not
 * pay (fewer than two operations) or cannot apply (anything but elementwise operations
 * over pure leaves, under at most one reduction).
 */
export function fuse(op: Op, host: FusionHost): string | undefined {
  if (op.k !== "call" || !pure(op)) return undefined;
  const reducer = reduceOf(op);
  const body = reducer ? (op as Call).args[2]! : op;
  const leaves: Leaf[] = [];
  let operations = reducer ? 1 : 0;
  // The element expression, with each leaf's element as x<k>; every operation's result rounded as the engine stores it.
  const element = (e: Op, tensorOnly: boolean): string => {
    const a = arithOf(e);
    if (a) {
      operations++;
      const [l, r] = [(e as Call).args[2]!, (e as Call).args[3]!];
      return `Math.fround(${element(l, false)} ${a} ${element(r, false)})`;
    }
    const u = unaryOf(e);
    if (u) {
      operations++;
      const x = element((e as Call).args[2]!, true);
      if (u === "relu") return `Math.fround(((t = ${x}) > 0 ? t : 0))`;
      return `Math.fround(Math.${u}(${x}))`;
    }
    const k = leaves.push({ op: e, tensorOnly }) - 1;
    return `d${k}[j${k}]`;
  };
  // The body must be a tensor operation: a leaf alone is no fusion.
  if (!arithOf(body) && !unaryOf(body)) return undefined;
  const value = element(body, false);
  if (operations < 2) return undefined;
  const unfused = host.unfused(op);
  const FT = host.runtime();
  const fallbackCall = host.hoist((name) => `function ${name}(s, m) {\n  return ${unfused};\n}`);
  const fallback = fallbackCall;
  return host.hoist((name) => {
    const lines: string[] = [`function ${name}(s, m) {`];
    const ks = leaves.map((_, k) => k);
    const texts = leaves.map((leaf) => leafText(leaf.op, host));
    if (leaves.every((l) => l.op.k === "slot" || l.op.k === "const")) {
      // Slot reads and literals cannot throw.
      for (const k of ks) lines.push(`  const a${k} = ${texts[k]};`);
    } else {
      lines.push(`  let ${ks.map((k) => `a${k}`).join(", ")};`);
      lines.push("  try {");
      for (const k of ks) lines.push(`    a${k} = ${texts[k]};`);
      lines.push(`  } catch (err) {\n    return ${fallback};\n  }`);
    }
    // The largest tensor leaf gives the shape; every other leaf must tile it.
    lines.push("  let M = null;");
    for (const [k, leaf] of leaves.entries()) {
      const other = leaf.tensorOnly ? "" : ` else if (typeof a${k} !== "number")`;
      lines.push(
        `  if (a${k} instanceof ${FT}.Tensor) { if (M === null || a${k}.shape.length > M.shape.length) M = a${k}; }${other || " else"} return ${fallback};`,
      );
    }
    lines.push(`  if (M === null) return ${fallback};`);
    lines.push("  const shape = M.shape;");
    for (const k of ks)
      lines.push(
        `  if (a${k} !== M && a${k} instanceof ${FT}.Tensor && (a${k}.shape.length > shape.length || !${FT}.tiles(a${k}.shape, shape))) return ${fallback};`,
      );
    lines.push("  const n = M.data.length;");
    for (const k of ks) {
      lines.push(`  const d${k} = a${k} instanceof ${FT}.Tensor ? a${k}.data : [a${k}];`);
      lines.push(`  const n${k} = d${k}.length;`);
      lines.push(`  let j${k} = 0;`);
    }
    lines.push("  let t;");
    const step = ks.map((k) => `j${k} = j${k} + 1 === n${k} ? 0 : j${k} + 1`).join(", ");
    if (!reducer) {
      lines.push("  const out = new Float32Array(n);");
      lines.push(`  for (let i = 0; i < n; i++, ${step}) out[i] = ${value};`);
      lines.push(`  return new ${FT}.Tensor(shape.slice(), out);`);
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
}
