import { jsNumber } from "./js-literal.js";
import { softmaxRows } from "../../engine/float32-kernels.js";
import { Tensor } from "../../values/values.js";

// A fused tensor loop (tensor-fusion.ts) written again for the exact shapes it last ran
// on: every size, index and broadcast known, the loop unrolled into straight-line code
// (a matmul's element as its products summed in the kernel's order, then rounded once),
// behind one guard that the leaves are the same kinds with the same shapes. The fused
// function makes it after its own checks have passed (so the shapes tile, and every
// matmul's inner dimensions agree) and calls it first on later runs; when the guard
// fails it answers undefined and the fused function's general loop runs (and may write
// it again, up to RESPECIALISATIONS times). It performs exactly the general loop's
// operations in the same order, so its bits are the general loop's; a shape it was not
// written for never reaches its arithmetic.
// test/property/tensor-specialised-loops-are-bit-identical.property.test.ts holds it to the unfused path.

/** A fused element expression: operators over leaves (a leaf is a matmul's element or a value's). */
export type El =
  | { t: "arith"; op: string; l: El; r: El }
  | { t: "unary"; fn: string; x: El }
  | { t: "leaf"; k: number };

/** A fused loop's description and its specialised form, a constant of the generated module. */
export interface FusedPlan {
  tree: El;
  /** Each leaf: a matmul (read as two operands), a tensor, or a tensor or float. */
  leaves: ("mm" | "tensor" | "value")[];
  reducer: "sum" | "mean" | "max" | "min" | undefined;
  soft: boolean;
  /**
   * The result is a binding nothing reads once its step is over (step-local.ts): the
   * specialised loop writes it into one tensor of its own, made once, instead of a new one.
   */
  reuse: boolean;
  /** The loop for the shapes last seen: undefined when its guard fails. */
  fn: ((...leaves: unknown[]) => unknown) | null;
  /** How many more times a loop may be written (a node whose shapes keep changing stops paying for it). */
  left: number;
}

export const RESPECIALISATIONS = 4;

/** Elements times terms past which a loop is left general: straight-line code that long would not pay. */
const MAX_TERMS = 512;

/** The element expression's text, with leaf k's element written by `leaf(k)`; rounded where the engine stores. */
export function elementText(e: El, leaf: (k: number) => string): string {
  switch (e.t) {
    case "arith":
      return `Math.fround(${elementText(e.l, leaf)} ${e.op} ${elementText(e.r, leaf)})`;
    case "unary": {
      const x = elementText(e.x, leaf);
      if (e.fn === "relu") return `Math.fround(((t = ${x}) <= 0 ? 0 : t))`;
      return `Math.fround(Math.${e.fn}(${x}))`;
    }
    case "leaf":
      return leaf(e.k);
  }
}

/** A leaf as last seen: a matmul's rows, inner and columns, a tensor's shape and size, or a float. */
type Seen = { mm: [number, number, number] } | { shape: number[]; size: number } | { float: true };

/**
 * Writes `plan.fn` for the leaves' values `vals` (in the fused function's read order: a
 * matmul's two operands, each other leaf's value), which the fused function has checked.
 */
export function specialise(plan: FusedPlan, vals: unknown[]): void {
  plan.left--;
  const seen: Seen[] = [];
  let v = 0;
  for (const kind of plan.leaves) {
    const a = vals[v++];
    if (kind === "mm") {
      const [x, y] = [a as Tensor, vals[v++] as Tensor];
      seen.push({ mm: [x.shape[0]!, y.shape[0]!, y.shape[1]!] });
    } else if (a instanceof Tensor) seen.push({ shape: [...a.shape], size: a.data.length });
    else seen.push({ float: true });
  }
  // The result's shape and size, chosen as the fused function chooses them: the first leaf of the highest rank.
  let M: number[] | null = null;
  let n = 1;
  let terms = 0;
  for (const s of seen) {
    const shape = "mm" in s ? [s.mm[0], s.mm[2]] : "shape" in s ? s.shape : null;
    if (shape !== null && (M === null || shape.length > M.length)) {
      M = shape;
      n = "mm" in s ? s.mm[0] * s.mm[2] : (s as { size: number }).size;
    }
    terms += "mm" in s ? s.mm[1] + 1 : 1;
  }
  if (M === null || n * terms > MAX_TERMS) {
    plan.fn = null;
    return;
  }
  // Leaf k's element at index j of the result (the fused loop's wrapping index j mod the leaf's size).
  const elementOf = (k: number, i: number): string => {
    const s = seen[k]!;
    if ("float" in s) return `a${k}`;
    if ("shape" in s) return `d${k}[${i % s.size}]`;
    const [rows, inner, cols] = s.mm;
    const j = i % (rows * cols);
    const c = j % cols;
    const row = ((j - c) / cols) * inner;
    let acc = "0";
    for (let p = 0; p < inner; p++) acc = `${acc} + x${k}[${row + p}] * y${k}[${p * cols + c}]`;
    return `Math.fround(${acc})`;
  };
  const guards: string[] = [];
  const params: string[] = [];
  const data: string[] = [];
  const dims = (v: string, shape: number[]) => [
    `(h = ${v}.shape).length === ${shape.length}`,
    ...shape.map((d, i) => `h[${i}] === ${d}`),
  ];
  seen.forEach((s, k) => {
    if ("mm" in s) {
      const [rows, inner, cols] = s.mm;
      params.push(`a${k}`, `b${k}`);
      guards.push(
        `a${k} instanceof Tensor`,
        `b${k} instanceof Tensor`,
        ...dims(`a${k}`, [rows, inner]),
        ...dims(`b${k}`, [inner, cols]),
      );
      data.push(`x${k} = a${k}.data`, `y${k} = b${k}.data`);
    } else if ("shape" in s) {
      params.push(`a${k}`);
      guards.push(`a${k} instanceof Tensor`, ...dims(`a${k}`, s.shape), `a${k}.data.length === ${s.size}`);
      data.push(`d${k} = a${k}.data`);
    } else {
      params.push(`a${k}`);
      guards.push(`typeof a${k} === "number"`);
    }
  });
  const lines = [
    `return function (${params.join(", ")}) {`,
    "  let h, t;",
    `  if (!(${guards.join(" && ")})) return undefined;`,
    ...(data.length > 0 ? [`  const ${data.join(", ")};`] : []),
  ];
  const el = (i: number) => elementText(plan.tree, (k) => elementOf(k, i));
  if (!plan.reducer) {
    if (!plan.reuse) lines.push(`  const out = new Float32Array(${n});`);
    for (let i = 0; i < n; i++) lines.push(`  out[${i}] = ${el(i)};`);
    if (plan.soft) lines.push(`  softmaxRows(out, out, ${M[M.length - 1] ?? 1});`);
    lines.push(plan.reuse ? "  return kept;" : `  return new Tensor([${M.join(", ")}], out);`);
  } else if (plan.reducer === "sum" || plan.reducer === "mean") {
    lines.push("  let acc = 0;");
    for (let i = 0; i < n; i++) lines.push(`  acc = acc + ${el(i)};`);
    lines.push(`  return Math.fround(${plan.reducer === "sum" ? "acc" : `acc / ${jsNumber(n)}`});`);
  } else {
    const [start, cmp] = plan.reducer === "max" ? ["-Infinity", ">"] : ["Infinity", "<"];
    lines.push(`  let r = ${start}, v;`);
    for (let i = 0; i < n; i++) lines.push(`  v = ${el(i)}; r = v ${cmp} r ? v : r;`);
    lines.push("  return Math.fround(r);");
  }
  lines.push("};");
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from numbers and the plan's operators only.
  // A reused result: its storage and its Tensor, made here once for every run of this loop.
  const out = plan.reuse && !plan.reducer ? new Float32Array(n) : undefined;
  const kept = out && new Tensor([...M], out);
  plan.fn = new Function("Tensor", "softmaxRows", "out", "kept", lines.join("\n"))(Tensor, softmaxRows, out, kept);
}

/** softmax of a leaf (the kernel called directly) and its loop for the shape last seen. */
export interface SoftmaxPlan {
  fn: ((a: unknown) => Tensor | undefined) | null;
  left: number;
}

/**
 * Writes `plan.fn` for a tensor of `t`'s shape and size: softmaxRows unrolled, row by
 * row (the maximum through Math.max, the exponentials and their total in float64, in
 * order, each element divided by the total as the Float32Array stores it), with the
 * result sharing the operand's shape array as the kernel's does.
 */
export function specialiseSoftmax(plan: SoftmaxPlan, t: Tensor): void {
  plan.left--;
  const shape = [...t.shape];
  const n = t.data.length;
  const len = shape[shape.length - 1] ?? 1;
  if (n > MAX_TERMS / 4 || len === 0) {
    plan.fn = null;
    return;
  }
  const lines = [
    "return function (a) {",
    "  let h;",
    `  if (!(a instanceof Tensor && ${[`(h = a.shape).length === ${shape.length}`, ...shape.map((d, i) => `h[${i}] === ${d}`), `a.data.length === ${n}`].join(" && ")})) return undefined;`,
    `  const x = a.data, out = new Float32Array(${n});`,
    "  let max, total;",
  ];
  for (let start = 0; start < n; start += len) {
    const at = (i: number) => start + i;
    lines.push("  max = -Infinity;");
    for (let i = 0; i < len; i++) lines.push(`  max = Math.max(max, x[${at(i)}]);`);
    lines.push(`  total = 0;`);
    for (let i = 0; i < len; i++)
      lines.push(`  const e${at(i)} = Math.exp(x[${at(i)}] - max);`, `  total += e${at(i)};`);
    for (let i = 0; i < len; i++) lines.push(`  out[${at(i)}] = e${at(i)} / total;`);
  }
  lines.push("  return new Tensor(h, out);", "};");
  plan.fn = new Function("Tensor", lines.join("\n"))(Tensor);
}

/** One elementwise operator on two leaves (the kernel called directly) and its loop for the shapes last seen. */
export interface ElementwisePlan {
  fn: ((a: unknown, b: unknown) => Tensor | undefined) | null;
  left: number;
  /** The operator as JavaScript writes it: + - * / %. */
  op: string;
}

/**
 * Writes `plan.fn` for operands like `a` and `b` where the kernel's loop is a plain one: a
 * tensor with a float (withScalar) or two tensors of one shape (loopRight); each element
 * `x op y` on doubles, stored into a Float32Array, in a new Tensor with a copy of the shape.
 * Any other pair (a broadcast) leaves no loop.
 */
export function specialiseElementwise(plan: ElementwisePlan, a: unknown, b: unknown): void {
  plan.left--;
  plan.fn = null;
  const ta = a instanceof Tensor ? a : undefined;
  const tb = b instanceof Tensor ? b : undefined;
  const t = ta ?? tb;
  if (!t || (ta && tb && !sameShapeAndSize(ta, tb))) return;
  const shape = [...t.shape];
  const n = shape.reduce((p, d) => p * d, 1);
  if (n > MAX_TERMS || t.data.length !== n) return;
  const guard = (v: string, x: Tensor | undefined) =>
    x
      ? [
          `${v} instanceof Tensor`,
          `(h = ${v}.shape).length === ${shape.length}`,
          ...shape.map((d, i) => `h[${i}] === ${d}`),
          `${v}.data.length === ${n}`,
        ]
      : [`typeof ${v} === "number"`];
  const lines = [
    "return function (a, b) {",
    "  let h;",
    `  if (!(${[...guard("a", ta), ...guard("b", tb)].join(" && ")})) return undefined;`,
    `  const out = new Float32Array(${n})${ta ? ", x = a.data" : ""}${tb ? ", y = b.data" : ""};`,
  ];
  for (let i = 0; i < n; i++) lines.push(`  out[${i}] = ${ta ? `x[${i}]` : "a"} ${plan.op} ${tb ? `y[${i}]` : "b"};`);
  lines.push(`  return new Tensor([${shape.join(", ")}], out);`, "};");
  plan.fn = new Function("Tensor", lines.join("\n"))(Tensor);
}

function sameShapeAndSize(a: Tensor, b: Tensor): boolean {
  return (
    a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]) && a.data.length === b.data.length
  );
}
