// The synthetic trace the trace-store benches record: a compute step as the runtimes
// emit them, a few decimal bindings with one of 40 names rotating, on the payment
// node's compute_fee line. Shared so bench/trace.mjs and bench/trace-huge.mjs
// measure rows of the same shape.
import { Decimal } from "../dist/src/values/decimal.js";

/** Step event number `i`, located at `file`. */
export function syntheticStep(i, file) {
  return {
    index: i,
    step: `compute_${i % 40}`,
    op: "compute",
    location: { file, line: 64, col: 5 },
    effects: [],
    contracts: [],
    changed: [
      [`x${i % 40}`, new Decimal(i).div(7).toDecimalPlaces(2)],
      ["total", new Decimal(i * 3).plus("0.29")],
      ["n", BigInt(i)],
    ],
  };
}
