import fc from "fast-check";
import { evaluate } from "../expr/evaluate.js";
import type { FieldDecl, RecordTypeDecl, SourceExpr } from "../ir/ast.js";
import type { Dim, Dtype, VType } from "../values/types.js";
import { Decimal, type Rounding } from "../values/decimal.js";
import { resolveInputs, type PreparedNode } from "../runtime/prepared.js";
import { INT64_MAX, INT64_MIN, Tensor, Timestamp, VMap, VRecord, VSet, keyOf, type Value } from "../values/values.js";
import { boundsOf, orderingsOf, type Bounds } from "./constraint-bounds.js";

// fast-check arbitraries for a node's inputs, built from the declared types and
// what the constraints say. Values are drawn from realistic ranges rather than the
// extremes of each representation: floats and tensor elements stay well inside
// float32's range, because a node's tolerance speaks for float32 precision, not for
// float32 overflow (an input of 1e300 diverges by design, not by defect).

/** Default spans when no constraint gives one. */
const LIMITS = {
  /** |decimal| ≤ 10^6 when unbounded (a count of 10^-scale units is drawn). */
  decimalDigits: 6,
  float: 1e6,
  /** Tensor elements in [-10, 10]: the scale of activations and weights, where float32 keeps ~6 digits. */
  tensorElement: 10,
  stringLength: 16,
  collectionLength: 8,
  symbolicDim: { min: 1, max: 12 },
  timestamp: { min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) },
  /** Records nested deeper than this stop generating optional fields (recursive types end). */
  depth: 4,
};

interface Scope {
  p: PreparedNode;
  /** Sizes chosen for the symbolic tensor dimensions of this input set. */
  dims: Map<string, number>;
  depth: number;
}

/** Inputs as `vesper run` would take them: optional and defaulted inputs are sometimes left out. */
export function inputsArbitrary(p: PreparedNode): fc.Arbitrary<Map<string, Value>> {
  const symbols = symbolicDims(p);
  const build = (dims: Map<string, number>) => {
    const scope: Scope = { p, dims, depth: 0 };
    const parts: Record<string, fc.Arbitrary<Value | undefined>> = {};
    for (const f of p.node.inputs) {
      const constraints = [
        ...f.constraints,
        ...p.preconditions.map((c) => c.source).filter((s) => mentionsOnly(s, f.name)),
      ];
      const arb = fieldArbitrary(f, constraints, scope);
      parts[f.name] = f.required && f.default === undefined ? arb : fc.option(arb, { nil: undefined, freq: 5 });
    }
    return fc.record(parts).map((o) => resolveInputs(p, present(o)));
  };
  if (symbols.length === 0) return build(new Map());
  const sizes = fc.tuple(...symbols.map(() => fc.integer(LIMITS.symbolicDim)));
  return sizes.chain((ns) => build(new Map(symbols.map((s, i) => [s, ns[i]!]))));
}

function fieldArbitrary(f: FieldDecl, constraints: readonly SourceExpr[], scope: Scope): fc.Arbitrary<Value> {
  return typeArbitrary(f.type, boundsOf(f.name, constraints), scope, f.scale);
}

export function typeArbitrary(t: VType, b: Bounds, scope: Scope, scale?: number): fc.Arbitrary<Value> {
  if (b.oneOf && b.oneOf.length > 0 && t.kind !== "array" && t.kind !== "set" && t.kind !== "map") {
    return fc.constantFrom(...b.oneOf.map((x) => literalValue(x, t)));
  }
  switch (t.kind) {
    case "string":
      return stringArbitrary(b);
    case "enum":
      return fc.constantFrom(...t.values);
    case "boolean":
      return fc.boolean();
    case "integer":
      return integerArbitrary(b);
    case "decimal":
      return scale !== undefined ? decimalArbitrary(b, scale) : anyScaleDecimalArbitrary(b);
    case "float":
      return floatArbitrary(b);
    case "bytes":
      return fc.uint8Array({ maxLength: 32 });
    case "timestamp":
      return fc.integer(LIMITS.timestamp).map((ms) => new Timestamp(ms));
    case "tensor":
      return tensorArbitrary(t.dtype, t.shape, scope);
    case "array":
      return fc.array(typeArbitrary(t.element, {}, deeper(scope)), lengths(b));
    case "set":
      return fc
        .uniqueArray(typeArbitrary(t.element, {}, deeper(scope)), { ...lengths(b), selector: keyOf })
        .map((xs) => new VSet(xs));
    case "map": {
      const pair = fc.tuple(typeArbitrary(t.key, {}, deeper(scope)), typeArbitrary(t.value, {}, deeper(scope)));
      return fc.uniqueArray(pair, { ...lengths(b), selector: ([k]) => keyOf(k) }).map((ps) => new VMap(ps));
    }
    case "record":
      return recordArbitrary(t.name, scope);
    case "null":
    case "any":
      return fc.constant(null);
  }
}

function stringArbitrary(b: Bounds): fc.Arbitrary<Value> {
  const minLength = b.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(b.maxLength ?? Infinity, minLength + LIMITS.stringLength));
  return fc.string({ minLength, maxLength });
}

function integerArbitrary(b: Bounds): fc.Arbitrary<Value> {
  const whole = (d: Decimal, mode: Rounding) => BigInt(d.toDecimalPlaces(0, mode).toFixed(0));
  // The smallest integer above (or at) the minimum, the largest below (or at) the maximum.
  const min = !b.min
    ? INT64_MIN
    : b.min.strict
      ? whole(b.min.value, Decimal.ROUND_FLOOR) + 1n
      : whole(b.min.value, Decimal.ROUND_CEIL);
  const max = !b.max
    ? INT64_MAX
    : b.max.strict
      ? whole(b.max.value, Decimal.ROUND_CEIL) - 1n
      : whole(b.max.value, Decimal.ROUND_FLOOR);
  if (min > max) return spreadBigInt(INT64_MIN, INT64_MAX);
  return spreadBigInt(clamp(min), clamp(max));
}

/**
 * An integer in [min, max] whose magnitude is spread over the orders of magnitude
 * the range covers (as likely to have 2 digits as 6), where a uniform draw would
 * almost always be as large as the range. Products of two inputs then land on both
 * sides of a constraint like `unit_price * quantity <= 100000`. fast-check's oneof
 * shrinks towards the first (smallest) range.
 */
export function spreadBigInt(min: bigint, max: bigint): fc.Arbitrary<bigint> {
  const widest = (min < 0n ? -min : min) > (max < 0n ? -max : max) ? (min < 0n ? -min : min) : max < 0n ? -max : max;
  const ranges: { min: bigint; max: bigint }[] = [];
  for (let limit = 1n; ; limit *= 10n) {
    const lo = min > -limit ? min : -limit;
    const hi = max < limit ? max : limit;
    if (lo <= hi && !ranges.some((r) => r.min === lo && r.max === hi)) ranges.push({ min: lo, max: hi });
    if (limit >= widest) break;
  }
  // A range entirely away from zero ([1000, 2000]) has no small-magnitude sub-range.
  if (ranges.length === 0) ranges.push({ min, max });
  return ranges.length === 1 ? fc.bigInt(ranges[0]!) : fc.oneof(...ranges.map((r) => fc.bigInt(r)));
}

/**
 * A decimal of a scale drawn from 0 to 6 (no declared scale). The arbitrary of each
 * scale is built once, the first time that scale is drawn, not once per value: the
 * values drawn are the same either way.
 */
function anyScaleDecimalArbitrary(b: Bounds): fc.Arbitrary<Value> {
  const byScale: fc.Arbitrary<Value>[] = [];
  return fc.integer({ min: 0, max: 6 }).chain((s) => {
    byScale[s] ??= decimalArbitrary(b, s);
    return byScale[s];
  });
}

/** A decimal with exactly `scale` places: an integer count of 10^-scale units inside the bounds. */
function decimalArbitrary(b: Bounds, scale: number): fc.Arbitrary<Value> {
  const unit = new Decimal(10).pow(scale);
  const units = (bound: Decimal, up: boolean, strict: boolean): bigint => {
    const scaled = bound.mul(unit);
    const whole = BigInt(scaled.toDecimalPlaces(0, up ? Decimal.ROUND_CEIL : Decimal.ROUND_FLOOR).toFixed(0));
    return strict && scaled.isInteger() ? whole + (up ? 1n : -1n) : whole;
  };
  const span = 10n ** BigInt(LIMITS.decimalDigits + scale);
  let min = b.min ? units(b.min.value, true, b.min.strict) : -span;
  let max = b.max ? units(b.max.value, false, b.max.strict) : span;
  // One-sided bounds get the default span on the open side.
  if (b.min && !b.max) max = min + span;
  if (b.max && !b.min) min = max - span;
  if (min > max) [min, max] = [-span, span];
  return spreadBigInt(min, max).map((n) => new Decimal(`${n}e-${scale}`));
}

/**
 * Floats as measurements are written: a number of millionths, spread over orders
 * of magnitude. Subnormals and 17-digit mantissas say nothing about a node's logic
 * and everything about float32 against float64, which the tolerance cannot cover.
 * Millionths rather than the thousandths of tensor elements: a scalar compared
 * with something computed from tensors (a threshold, a reading against the mean)
 * would otherwise hit it exactly far more often than real data does, and at an
 * exact tie float32 and float64 legitimately fall on different sides.
 */
function floatArbitrary(b: Bounds): fc.Arbitrary<Value> {
  const bounded: Bounds = {
    min:
      b.min ??
      (b.max
        ? { value: b.max.value.sub(LIMITS.float), strict: false }
        : { value: new Decimal(-LIMITS.float), strict: false }),
    max:
      b.max ??
      (b.min
        ? { value: b.min.value.add(LIMITS.float), strict: false }
        : { value: new Decimal(LIMITS.float), strict: false }),
  };
  return decimalArbitrary(bounded, 6).map((d) => (d as Decimal).toNumber());
}

function tensorArbitrary(dtype: Dtype, shape: readonly Dim[], scope: Scope): fc.Arbitrary<Value> {
  const dims = shape.map((d, i) =>
    typeof d === "number" ? d : (scope.dims.get(typeof d === "string" ? d : `?${i}`) ?? 1),
  );
  const size = dims.reduce((a, d) => a * d, 1);
  const element: fc.Arbitrary<number> =
    dtype === "bool"
      ? fc.constantFrom(0, 1)
      : dtype === "int32"
        ? fc.integer({ min: -LIMITS.tensorElement, max: LIMITS.tensorElement })
        : spreadBigInt(BigInt(-LIMITS.tensorElement * 1000), BigInt(LIMITS.tensorElement * 1000)).map(
            (n) => Number(n) / 1000,
          );
  return fc.array(element, { minLength: size, maxLength: size }).map((xs) => new Tensor(dims, Float64Array.from(xs)));
}

function recordArbitrary(name: string, scope: Scope): fc.Arbitrary<Value> {
  const decl = scope.p.node.types.find((d) => d.name === name);
  const def = scope.p.types.get(name);
  if (!decl && !def) return fc.constant(null);
  const inner = deeper(scope);
  const parts: Record<string, fc.Arbitrary<Value | undefined>> = {};
  const fields = decl
    ? decl.fields.map((f) => ({ name: f.name, type: f.type, required: f.required, decl: f }))
    : [...def!.fields.values()].map((f) => ({ ...f, decl: undefined }));
  for (const f of fields) {
    const arb = f.decl ? fieldArbitrary(f.decl, f.decl.constraints, inner) : typeArbitrary(f.type, {}, inner);
    if (f.required) parts[f.name] = scope.depth >= LIMITS.depth && f.type.kind === "record" ? fc.constant(null) : arb;
    else
      parts[f.name] =
        scope.depth >= LIMITS.depth ? fc.constant(undefined) : fc.option(arb, { nil: undefined, freq: 4 });
  }
  const orderings = decl
    ? orderingsOf(
        decl.fields.map((f) => f.name),
        decl.constraints,
      )
    : [];
  const admits = decl ? recordAdmits(decl) : () => true;
  return fc
    .record(parts)
    .map((o) => {
      const values = present(o);
      // `refunded <= amount`: swap two independently drawn values into order.
      for (const { low, high } of orderings) {
        const l = values.get(low);
        const h = values.get(high);
        if (l !== undefined && h !== undefined && l !== null && h !== null && greater(l, h)) {
          values.set(low, h);
          values.set(high, l);
        }
      }
      return new VRecord(name, values);
    })
    .filter(admits);
}

/** Consecutive rejections after which a record is let through anyway (the runtime then discards it). */
const MAX_REJECTIONS = 1000;

/**
 * A record type's constraints are part of the type: a value that breaks them is not
 * a value of the type, so records are drawn until they satisfy them (`unit_price *
 * quantity <= 100000` cannot be read as bounds). Input constraints and
 * preconditions of the node are not filtered: inputs that break those are run,
 * refused by the runtime, and counted as discarded.
 */
function recordAdmits(decl: RecordTypeDecl): (r: Value) => boolean {
  let rejected = 0;
  const satisfies = satisfiesOf(decl);
  return (r) => {
    const ok = satisfies(r as VRecord);
    rejected = ok ? 0 : rejected + 1;
    if (rejected >= MAX_REJECTIONS) {
      rejected = 0;
      return true;
    }
    return ok;
  };
}

/** Whether a record satisfies its type's field and record constraints (a field left out or null skips its own). */
function satisfiesOf(decl: RecordTypeDecl): (r: VRecord) => boolean {
  const names = new Set(decl.fields.map((f) => f.name));
  const constrained = decl.fields.filter((f) => f.constraints.length > 0);
  // The record being checked: one environment for every constraint, reading whichever record is current.
  let current: VRecord;
  const env = {
    lookup: (name: string): Value | undefined => (names.has(name) ? (current.fields.get(name) ?? null) : undefined),
  };
  const holds = (src: SourceExpr): boolean => {
    try {
      return src.expr !== undefined && evaluate(src.expr, env) === true;
    } catch {
      return false;
    }
  };
  return (r) => {
    current = r;
    for (const f of constrained) {
      if ((r.fields.get(f.name) ?? null) === null) continue;
      if (!f.constraints.every(holds)) return false;
    }
    return decl.constraints.every(holds);
  };
}

function greater(a: Value, b: Value): boolean {
  if (Decimal.isDecimal(a) && Decimal.isDecimal(b)) return (a as Decimal).gt(b as Decimal);
  if (typeof a === "bigint" && typeof b === "bigint") return a > b;
  if (typeof a === "number" && typeof b === "number") return a > b;
  return false;
}

/** The fields drawn (an optional one left out is undefined), in their declared order. */
function present(o: Record<string, Value | undefined>): Map<string, Value> {
  const values = new Map<string, Value>();
  for (const name in o) {
    const v = o[name];
    if (v !== undefined) values.set(name, v);
  }
  return values;
}

function lengths(b: Bounds): { minLength: number; maxLength: number } {
  const minLength = b.minLength ?? 0;
  return {
    minLength,
    maxLength: Math.max(minLength, Math.min(b.maxLength ?? Infinity, minLength + LIMITS.collectionLength)),
  };
}

function deeper(scope: Scope): Scope {
  return { ...scope, depth: scope.depth + 1 };
}

function clamp(n: bigint): bigint {
  return n < INT64_MIN ? INT64_MIN : n > INT64_MAX ? INT64_MAX : n;
}

function literalValue(x: string | Decimal, t: VType): Value {
  if (typeof x === "string") return x;
  if (t.kind === "integer" && x.isInteger()) return BigInt(x.toFixed(0));
  if (t.kind === "float") return x.toNumber();
  return x;
}

/** Every symbolic (or unknown) tensor dimension among the inputs, so that inputs sharing `n` agree on it. */
function symbolicDims(p: PreparedNode): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (t: VType): void => {
    if (t.kind === "tensor")
      t.shape.forEach((d, i) => {
        if (typeof d !== "number") found.add(typeof d === "string" ? d : `?${i}`);
      });
    else if (t.kind === "array" || t.kind === "set") visit(t.element);
    else if (t.kind === "map") {
      visit(t.key);
      visit(t.value);
    } else if (t.kind === "record" && !seen.has(t.name)) {
      seen.add(t.name);
      for (const f of p.types.get(t.name)?.fields.values() ?? []) visit(f.type);
    }
  };
  for (const f of p.node.inputs) visit(f.type);
  return [...found].sort();
}

/** A precondition that names this input and no other input (e.g. `LEN(idempotency_key) >= 8`). */
function mentionsOnly(s: SourceExpr, name: string): boolean {
  const names = new Set<string>();
  const walk = (e: unknown): void => {
    if (!e || typeof e !== "object") return;
    const x = e as { kind?: string; name?: string };
    if (x.kind === "name" && typeof x.name === "string") names.add(x.name);
    for (const v of Object.values(e)) if (typeof v === "object") walk(v);
  };
  walk(s.expr);
  return names.size === 1 && names.has(name);
}
