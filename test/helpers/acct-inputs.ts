// Inputs for the scaled-operand property nodes (MIN/MAX picked on scaled forms, old() read
// from shadows): scalar inputs by name, a record input `r` of type Acct {bal, cnt}, and an
// optional decimal `o` that is left out when null, all resolved as a run's inputs are.
import { resolveInputs, type PreparedNode } from "../../src/runtime/prepared.js";
import type { Decimal } from "../../src/values/decimal.js";
import { VRecord, type Value } from "../../src/values/values.js";

export function acctInputs(
  p: PreparedNode,
  scalars: Record<string, Value>,
  o: Decimal | null,
  acct: { bal: Decimal; cnt: bigint },
): Map<string, Value> {
  const given = new Map<string, Value>(Object.entries(scalars));
  given.set(
    "r",
    new VRecord(
      "Acct",
      new Map<string, Value>([
        ["bal", acct.bal],
        ["cnt", acct.cnt],
      ]),
    ),
  );
  if (o !== null) given.set("o", o);
  return resolveInputs(p, given);
}
