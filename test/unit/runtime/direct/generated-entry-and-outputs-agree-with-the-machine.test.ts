import { describe, expect, it } from "vitest";
import { parseInputsObject } from "../../../../src/runtime/input-text.js";
import { Decimal } from "../../../../src/values/decimal.js";
import { decimalText, displayScaleOf, withDisplayScale } from "../../../../src/values/display-scale.js";
import { keyOf } from "../../../../src/values/values.js";
import { node, plain, runAll } from "../../../helpers/runtimes.js";

// The generated tier's plain run (codegen-entry.ts) writes the input-constraint
// walk, the preconditions and each return's output as code of the node's own. Every
// check must still run in the reference's order with the reference's failure, and
// every output must be conformed as the compiled conformers do: these runs compare
// the reference, the closures tier and the generated tier on the same inputs, with
// records nested in arrays, maps and other records, each constraint broken in turn,
// and outputs that take the fast path, the conformer's path, or a missing field.

const shipment = node(
  `
node_id: ship.pack@1.0.0
type: function
types:
  Dim:
    fields:
      cm: {type: decimal, constraints: ["cm > 0"]}
  Parcel:
    fields:
      label: {type: string, constraints: ["LEN(label) >= 2"]}
      weight: {type: decimal, constraints: ["weight <= 30"]}
      size: {type: Dim, required: false}
      count: {type: integer, constraints: ["count >= 1"]}
    constraints:
      - "weight * count <= 100"
inputs:
  parcels: {type: "array<Parcel>", constraints: ["LEN(parcels) >= 1"]}
  spares: {type: "map<string, Parcel>", default: {}}
  rate: {type: decimal, scale: 3, constraints: ["rate >= 0"]}
  mode: {type: "enum[ground, air]", default: ground}
outputs:
  success:
    total: {type: decimal, scale: 2}
    rate: {type: decimal, scale: 3}
    weight: decimal
    parcels: integer
    mode: enum[ground, air]
    note: {type: string, required: false}
  error:
    code: enum[TOO_HEAVY]
    message: string
contracts:
  preconditions:
    - name: some_weight
      check: "SUM(p IN parcels: p.weight * p.count) > 0"
  postconditions:
    - "output.parcels == LEN(parcels)"
flow:
  - step: weigh
    op: compute
    set:
      weight: "SUM(p IN parcels: p.weight * p.count)"
      cost: "ROUND(SUM(p IN parcels: p.weight * p.count) * rate, 2)"
  - step: heavy
    op: validate
    check: "weight < 90"
    error: {code: TOO_HEAVY, message: "too heavy"}
  - step: pick
    op: branch
    if: "mode == 'air'"
    then:
      - step: air
        op: return
        output: success
        values:
          total: "cost * 2"
          rate: "rate"
          weight: "LEN(parcels)"
          parcels: "COUNT(parcels)"
          mode: "mode"
          note: "'by air'"
  - step: ground
    op: return
    output: success
    values:
      total: "cost"
      rate: "rate"
      weight: "weight"
      parcels: "COUNT(parcels)"
      mode: "mode"
`,
  "ship.vsp",
);

const parcel = (over: Record<string, unknown> = {}) => ({ label: "box", weight: 2.5, count: 2, ...over });
const run = (value: Record<string, unknown>) =>
  runAll(
    shipment,
    parseInputsObject(shipment, JSON.stringify({ parcels: [parcel()], rate: 1.25, mode: "ground", ...value })),
  );

async function agree(value: Record<string, unknown>) {
  const r = await run(value);
  const ref = plain(r.reference);
  expect(plain(r.closures)).toEqual(ref);
  expect(plain(r.generated)).toEqual(ref);
  return r.generated;
}

describe("the generated entry walk and outputs give the machine's answers", () => {
  it("a valid run builds its output on the fast path, or through the conformer where a value needs converting", async () => {
    const ground = await agree({});
    expect(ground.failure ?? null).toBeNull();
    expect(ground.status).toBe("success");
    const out = ground.output!.fields;
    expect(decimalText(out.get("total") as Decimal)).toBe("6.25");
    expect(decimalText(out.get("rate") as Decimal)).toBe("1.250");
    expect(out.get("note")).toBeNull();
    const air = await agree({ mode: "air", parcels: [parcel(), parcel({ label: "crate", count: 1, weight: 7 })] });
    expect(air.output!.fields.get("note")).toBe("by air");
    // An integer returned as a decimal output: the conformer's conversion.
    expect(air.output!.fields.get("weight")).toBeInstanceOf(Decimal);
  });

  it("each constraint, nested or not, fails as the reference fails it", async () => {
    const cases: Record<string, unknown>[] = [
      { parcels: [] },
      { rate: -1 },
      { parcels: [parcel(), parcel({ label: "x" })] },
      { parcels: [parcel({ weight: 31 })] },
      { parcels: [parcel({ count: 0 })] },
      { parcels: [parcel({ weight: 30, count: 4 })] },
      { parcels: [parcel({ size: { cm: 0 } })] },
      { parcels: [parcel({ size: { cm: 12 } })], spares: { a: parcel(), b: parcel({ size: { cm: -3 } }) } },
      { spares: { a: parcel({ label: "y" }) } },
      { parcels: [parcel({ weight: 0 })] },
      { parcels: [parcel({ weight: 29, count: 3 }), parcel({ weight: 5, count: 1 })] },
      // An input left out is null: the required output it is returned as fails to conform (R209).
      { mode: undefined },
    ];
    const statuses = [];
    for (const c of cases) statuses.push((await agree(c)).status);
    expect(statuses).toEqual([
      ...Array(9).fill("contract_violation"),
      "contract_violation", // the precondition: no weight at all
      "error", // the validate step: too heavy
      "runtime_error",
    ]);
  });
});

describe("a display scale rides on the copy, never on the value's identity", () => {
  it("prints at the scale, equals and hashes as the plain value, and arithmetic drops it", () => {
    const d = new Decimal("3.2");
    const shown = withDisplayScale(d, 2);
    expect(decimalText(shown)).toBe("3.20");
    expect(decimalText(d)).toBe("3.2");
    expect(displayScaleOf(shown)).toBe(2);
    expect(displayScaleOf(d)).toBeUndefined();
    expect(shown.eq(d)).toBe(true);
    expect(keyOf(shown)).toBe(keyOf(d));
    expect(shown).toEqual(d);
    expect(shown instanceof Decimal).toBe(true);
    expect(Decimal.isDecimal(shown)).toBe(true);
    expect(displayScaleOf(shown.plus(1))).toBeUndefined();
    expect(decimalText(withDisplayScale(new Decimal("1.23456"), 2))).toBe("1.23456");
    expect(decimalText(withDisplayScale(new Decimal("Infinity"), 2))).toBe("Infinity");
  });
});
