import { directOps } from "../../src/runtime/direct/op-table.js";
import { Decimal } from "../../src/values/decimal.js";
import { EvalError } from "../../src/expr/evaluate.js";

// A deliberately wrong ROUND in the direct runtime (never the reference), for the
// tests that prove the debugger, the differential tester and the controller find a
// real divergence. ROUND has five operations: `roundS` for decimals the compiler
// lowered to scaled integers, `mulRoundS` for ROUND of a scaled product (generated
// code), `roundU` and `mulRoundU` for the same on decimals held as numbers of units
// (generated plain runs, scaled-units.ts), `round` for everything else; all are swapped.

const real = {
  round: directOps.round,
  roundS: directOps.roundS,
  mulRoundS: directOps.mulRoundS,
  roundU: directOps.roundU,
  mulRoundU: directOps.mulRoundU,
};

/** ROUND truncates towards zero instead of the requested mode: ROUND(3.2571, 2) gives 3.25. */
export function truncateRound(): void {
  directOps.round = ((a: unknown, places: unknown, _mode: unknown, span: unknown) => {
    const p = places === undefined ? 0 : Number(places);
    if (typeof a === "bigint") return a;
    if (typeof a === "number") return new Decimal(a).toDecimalPlaces(p, Decimal.ROUND_DOWN).toNumber();
    return directOps.D(a as never, span as never).toDecimalPlaces(p, Decimal.ROUND_DOWN);
  }) as typeof directOps.round;
  directOps.roundS = (a, places) => real.roundS(a, places, Decimal.ROUND_DOWN);
  directOps.mulRoundS = (a, b, places) => real.roundS(directOps.mulS(a, b), places, Decimal.ROUND_DOWN);
  directOps.roundU = (a, ka, places) => real.roundU(a, ka, places, Decimal.ROUND_DOWN);
  directOps.mulRoundU = (a, ka, b, kb, places) => real.mulRoundU(a, ka, b, kb, places, Decimal.ROUND_DOWN);
}

/** ROUND fails with R102 wherever it runs. */
export function breakRound(): void {
  const broken = (): never => {
    throw new EvalError("R102", "deliberately broken ROUND", { start: 0, end: 0 });
  };
  directOps.round = broken;
  directOps.roundS = broken;
  directOps.mulRoundS = broken;
  directOps.roundU = broken;
  directOps.mulRoundU = broken;
}

export function restoreRound(): void {
  directOps.round = real.round;
  directOps.roundS = real.roundS;
  directOps.mulRoundS = real.mulRoundS;
  directOps.roundU = real.roundU;
  directOps.mulRoundU = real.mulRoundU;
}
