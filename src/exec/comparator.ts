import { toJson } from "../values/json.js";
import type { RunResult } from "../runtime/protocol.js";
import type { DiffEntry } from "../runtime/divergence.js";
import { Decimal } from "../values/decimal.js";
import { Tensor, Timestamp, VMap, VRecord, VSet, keyOf, type Value } from "../values/values.js";

export type { DiffEntry };

// The divergence comparator. Integers, decimals, strings, booleans, enums and
// timestamps compare exactly; floats and tensors by relative error against the
// node's tolerance (the direct runtime's float32 engine is checked against the
// reference's float64); success against error, or different error codes, always
// diverge; fields the node marks noisy are ignored. The result says where and how.

export interface CompareOptions {
  /** Allowed relative error for floats and tensors (default 1e-6). */
  tolerance?: number;
  /** Output field names (or dotted paths under `output`) to ignore; only at that path, never nested deeper. */
  noisy?: readonly string[];
}

export const DEFAULT_TOLERANCE = 1e-6;
/** Below this, floats are compared absolutely: a relative error of values near zero means nothing. */
const ABSOLUTE_FLOOR = 1e-12;

/** The differences between an expected (reference) and an actual result; empty when they agree. */
export function compareResults(expected: RunResult, actual: RunResult, options: CompareOptions = {}): DiffEntry[] {
  const diffs: DiffEntry[] = [];
  if (expected.status !== actual.status) {
    diffs.push({
      path: "status",
      expected: expected.status,
      actual: actual.status,
      reason: "the runs ended differently",
    });
    return diffs;
  }
  if (expected.failure || actual.failure) {
    const e = expected.failure;
    const a = actual.failure;
    if (e?.code !== a?.code)
      diffs.push({
        path: "failure.code",
        expected: e?.code ?? null,
        actual: a?.code ?? null,
        reason: "different failure codes",
      });
    if (e?.contract?.name !== a?.contract?.name) {
      diffs.push({
        path: "failure.contract",
        expected: e?.contract?.name ?? null,
        actual: a?.contract?.name ?? null,
        reason: "a different contract failed",
      });
    }
  }
  if (expected.state !== actual.state) {
    diffs.push({
      path: "state",
      expected: expected.state ?? null,
      actual: actual.state ?? null,
      reason: "different final states",
    });
  }
  if (expected.output || actual.output) {
    compareValues(
      expected.output ?? null,
      actual.output ?? null,
      "output",
      { tolerance: options.tolerance ?? DEFAULT_TOLERANCE, noisy: options.noisy ?? [] },
      diffs,
    );
  }
  return diffs;
}

interface Opts {
  tolerance: number;
  noisy: readonly string[];
}

/**
 * A noisy field is a field of the output (docs/vesper-ir.md 8.2): `output.<name>`, or a
 * top-level value of that name (a debugger binding). A field of that name nested deeper
 * (`output.customer.id`, `output.items[0].id` for `id`) is compared like any other: matching
 * the last segment anywhere would hide a real divergence there.
 */
function isNoisy(path: string, opts: Opts): boolean {
  return opts.noisy.some((n) => n === path || `output.${n}` === path);
}

export function compareValues(e: Value, a: Value, path: string, opts: Opts, out: DiffEntry[]): void {
  if (opts.noisy.length > 0 && isNoisy(path, opts)) return;
  if (sameExactly(e, a)) return;
  const differ = (reason: string) => out.push({ path, expected: toJson(e), actual: toJson(a), reason });
  if (typeof e === "number" && typeof a === "number") {
    if (!sameNonFinite(e, a)) return void differ(`${e} against ${a}: a value that is not finite must match exactly`);
    const err = floatError(e, a);
    if (err > opts.tolerance) differ(`relative error ${err.toExponential(2)} exceeds the tolerance ${opts.tolerance}`);
    return;
  }
  if (e instanceof Tensor && a instanceof Tensor) {
    if (e.shape.length !== a.shape.length || e.shape.some((d, i) => d !== a.shape[i]))
      return void differ(`shapes [${e.shape}] and [${a.shape}] differ`);
    const at = firstNonFiniteMismatch(e, a);
    if (at !== undefined) {
      return void differ(
        `element ${at}: ${e.data[at]} against ${a.data[at]}: a value that is not finite must match exactly`,
      );
    }
    const err = tensorError(e, a);
    if (err > opts.tolerance) differ(`relative error ${err.toExponential(2)} exceeds the tolerance ${opts.tolerance}`);
    return;
  }
  if (e instanceof VRecord && a instanceof VRecord) {
    for (const k of new Set([...e.fields.keys(), ...a.fields.keys()])) {
      compareValues(e.fields.get(k) ?? null, a.fields.get(k) ?? null, `${path}.${k}`, opts, out);
    }
    return;
  }
  if (Array.isArray(e) && Array.isArray(a)) {
    if (e.length !== a.length) return void differ(`lengths ${e.length} and ${a.length} differ`);
    e.forEach((item, i) => compareValues(item, a[i]!, `${path}[${i}]`, opts, out));
    return;
  }
  if (e instanceof VMap && a instanceof VMap) {
    for (const k of new Set([...e.entries.keys(), ...a.entries.keys()])) {
      const ee = e.entries.get(k);
      const ae = a.entries.get(k);
      compareValues(ee?.[1] ?? null, ae?.[1] ?? null, `${path}[${k}]`, opts, out);
    }
    return;
  }
  if (e instanceof VSet && a instanceof VSet) {
    if (keyOf(e) !== keyOf(a)) differ("the sets have different members");
    return;
  }
  if (exactKind(e) !== exactKind(a))
    return void differ(`${withArticle(exactKind(e))} against ${withArticle(exactKind(a))}`);
  if (keyOf(e) !== keyOf(a)) differ("values differ (compared exactly)");
}

/**
 * The common agreeing leaves, answered without building their keys: two equal
 * integers, strings (enums too) or booleans, or two equal finite decimals. Exactly
 * when keyOf would call them equal; anything else takes the general path.
 */
function sameExactly(e: Value, a: Value): boolean {
  if (e === a) return e === null || typeof e !== "number";
  if (typeof e === "object" && typeof a === "object" && Decimal.isDecimal(e) && Decimal.isDecimal(a)) {
    const x = e as Decimal;
    const y = a as Decimal;
    return x.isFinite() && y.isFinite() && x.eq(y);
  }
  return false;
}

const withArticle = (kind: string) => `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`;

function exactKind(v: Value): string {
  if (v === null) return "null";
  if (typeof v === "bigint" || Decimal.isDecimal(v)) return "number";
  if (v instanceof Timestamp) return "timestamp";
  if (v instanceof Uint8Array) return "bytes";
  // Kinds as the IR names them (a reason reads "a record against a null", not a class name).
  if (v instanceof VRecord) return `record ${v.typeName}`;
  if (v instanceof VMap) return "map";
  if (v instanceof VSet) return "set";
  if (v instanceof Tensor) return "tensor";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/**
 * Whether two floats agree as far as non-finite values go: finite on both sides
 * (the tolerance decides), or the same NaN, Infinity or -Infinity on both. A
 * relative error cannot be computed against an infinity (∞/∞ is NaN, which would
 * pass every tolerance), so a non-finite value must match exactly.
 */
function sameNonFinite(x: number, y: number): boolean {
  if (Number.isFinite(x) && Number.isFinite(y)) return true;
  return Number.isNaN(x) ? Number.isNaN(y) : x === y;
}

/** The flat index of the first element where the tensors disagree on a non-finite value. */
function firstNonFiniteMismatch(expected: Tensor, actual: Tensor): number | undefined {
  for (let i = 0; i < expected.size; i++) if (!sameNonFinite(expected.data[i]!, actual.data[i]!)) return i;
  return undefined;
}

/** |a − b| / |b|, with an absolute floor near zero; any non-finite mismatch is Infinity. */
export function floatError(expected: number, actual: number): number {
  if (!sameNonFinite(expected, actual)) return Number.POSITIVE_INFINITY;
  if (expected === actual || Number.isNaN(expected)) return 0;
  const diff = Math.abs(actual - expected);
  if (diff <= ABSOLUTE_FLOOR) return 0;
  return diff / Math.max(Math.abs(expected), ABSOLUTE_FLOOR);
}

/**
 * An L2 norm summed as LAPACK's dnrm2 does: the largest magnitude so far and the sum of
 * squares scaled by it, so that no square overflows (1e154² is Infinity) or underflows.
 * Both the comparator's tensor error and the debugger's error norm (tensor-locate.ts).
 */
export class L2Norm {
  private scale = 0;
  private ssq = 1;

  add(x: number): void {
    const a = Math.abs(x);
    if (a === 0) return;
    if (this.scale < a) {
      this.ssq = 1 + this.ssq * (this.scale / a) ** 2;
      this.scale = a;
    } else this.ssq += (a / this.scale) ** 2;
  }

  /** The norm (Infinity past binary64's range). */
  get value(): number {
    return this.scale * Math.sqrt(this.ssq);
  }

  /**
   * this / other, taken of the scaled sums: multiplying each back first can overflow
   * (‖[M, M]‖ is √2·M = ∞), and ∞/∞ (NaN) or a finite norm over an infinite one (0)
   * would pass every tolerance.
   */
  over(other: L2Norm): number {
    return (this.scale / other.scale) * Math.sqrt(this.ssq / other.ssq);
  }
}

/** ‖a − b‖ / ‖b‖ in the L2 norm. */
export function tensorError(expected: Tensor, actual: Tensor): number {
  const diff = new L2Norm();
  const norm = new L2Norm();
  for (let i = 0; i < expected.size; i++) {
    const x = expected.data[i]!;
    const y = actual.data[i]!;
    if (!sameNonFinite(x, y)) return Number.POSITIVE_INFINITY;
    if (!Number.isFinite(x)) continue;
    const d = x - y;
    // A difference past binary64's range (1e308 against -1e308) is beyond any tolerance.
    if (!Number.isFinite(d)) return Number.POSITIVE_INFINITY;
    diff.add(d);
    norm.add(x);
  }
  const d = diff.value;
  if (d <= ABSOLUTE_FLOOR) return 0;
  // ‖b‖ below the floor counts as the floor, as floatError's |b| does.
  if (norm.value < ABSOLUTE_FLOOR) return d / ABSOLUTE_FLOOR;
  return diff.over(norm);
}
