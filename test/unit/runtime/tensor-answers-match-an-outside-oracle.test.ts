// Every tensor function and operator of docs/vesper-ir.md 9.5/9.6/9.8, on every dtype,
// ranks 0-4, empty dimensions, NaN/±Infinity/-0, huge and tiny magnitudes and shape
// errors, against answers computed in Python from the docs
// (test/fixtures/tensor-oracle/generate.py): the reference exactly in binary64, and
// every direct path (closures, generated; plain, observed, stepped) exactly as
// docs/runtime.md states the Float32Engine: each stored element rounded once to float32.
import { describe, expect, it } from "vitest";
import { differs, oracleCases, oracleInputs, oracleNode } from "../../helpers/tensor-oracle.js";
import { reference, context } from "../../helpers/runtimes.js";
import { DirectRuntime } from "../../../src/runtime/direct/direct-runtime.js";
import { runObserved } from "../../../src/runtime/observed-run.js";
import type { RunResult, StepEvent } from "../../../src/runtime/protocol.js";
import type { Runtime } from "../../../src/runtime/runtime.js";
import type { PreparedNode } from "../../../src/runtime/prepared.js";
import type { Value } from "../../../src/values/values.js";

async function stepped(rt: Runtime, p: PreparedNode, inputs: Map<string, Value>): Promise<RunResult> {
  const ex = rt.start(p, inputs, context(p));
  let last: StepEvent | undefined;
  while (!ex.done) last = await ex.next();
  return last!.result!;
}

describe("tensor answers match an oracle computed outside Vesper", () => {
  it("every case, on every path", async () => {
    const failures: string[] = [];
    for (const c of oracleCases) {
      let p: PreparedNode;
      try {
        p = oracleNode(c);
      } catch (e) {
        failures.push(`${c.name}: ${c.expr}: invalid: ${(e as Error).message}`);
        continue;
      }
      const inputs = oracleInputs(c);
      const closures = new DirectRuntime({ hotThreshold: Infinity });
      const generated = new DirectRuntime({ hotThreshold: 0 });
      const paths: Record<string, RunResult> = {
        "reference.run": await reference.run(p, inputs, context(p)),
        "reference.step": await stepped(reference, p, inputs),
        "closures.run": await closures.run(p, inputs, context(p)),
        "closures.step": await stepped(closures, p, inputs),
        "generated.run": await generated.run(p, inputs, context(p)),
        "generated.run again": await generated.run(p, inputs, context(p)),
        "generated.observe": await runObserved(generated, p, inputs, context(p), {
          onRecord() {},
          step() {},
          finish() {},
          abandon() {},
        }),
        "generated.step": await stepped(generated, p, inputs),
      };
      for (const [path, r] of Object.entries(paths)) {
        const ref = path.startsWith("reference");
        const d = differs(r, ref ? c.ref : c.f32, ref && /exp|softmax/.test(c.expr));
        if (d) failures.push(`${c.name} [${c.expr}] ${path}: ${d}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("shapes changing between runs of one node on one runtime (A, B, A, C, B, ...)", async () => {
    const groups = new Map<string, typeof oracleCases>();
    for (const c of oracleCases.filter((c) => c.group)) groups.set(c.group!, [...(groups.get(c.group!) ?? []), c]);
    expect(groups.size).toBeGreaterThan(5);
    const failures: string[] = [];
    for (const [name, cases] of groups) {
      const p = oracleNode(cases[0]!);
      const runtimes = {
        closures: new DirectRuntime({ hotThreshold: Infinity }),
        generated: new DirectRuntime({ hotThreshold: 0 }),
        "generated after 2": new DirectRuntime({ hotThreshold: 2 }),
      };
      // Twice through the sequence: a loop written for one shape must not answer for another.
      for (const round of [1, 2]) {
        for (const c of cases) {
          for (const [tier, rt] of Object.entries(runtimes)) {
            const d = differs(await rt.run(p, oracleInputs(c), context(p)), c.f32);
            if (d) failures.push(`${name} round ${round} ${c.name} ${tier}: ${d}`);
          }
          const d = differs(await reference.run(p, oracleInputs(c), context(p)), c.ref, true);
          if (d) failures.push(`${name} round ${round} ${c.name} reference: ${d}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
