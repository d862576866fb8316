import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { DirectRuntime } from "../../../src/runtime/direct/direct-runtime.js";
import { sampleInputs } from "../../../src/runtime/prepared.js";
import type { Effect, StepEvent } from "../../../src/runtime/protocol.js";
import { ReferenceRuntime } from "../../../src/runtime/reference/reference-runtime.js";
import { decodeStep, encodeEvent, eventJson, type StepTape, storedEventJson } from "../../../src/trace/step-codec.js";
import { context, example } from "../../helpers/runtimes.js";

// Every event of every example, on both runtimes: the recorder's fast writer, read back, and
// the plain encoder agree character for character (the replay compares with the
// plain one), and a stored row decodes back to the same event.

const names = readdirSync("examples")
  .filter((f) => f.endsWith(".vsp") && f !== "http_fetch.vsp")
  .map((f) => f.replace(".vsp", ""));

async function events(name: string, runtime: ReferenceRuntime | DirectRuntime) {
  const p = example(name);
  const out: { ev: StepEvent; tape: StepTape; calls: Effect[] }[] = [];
  for (const sample of p.node.samples) {
    const ctx = context(p);
    let tape: StepTape = { clock: [], random: [] };
    let calls: Effect[] = [];
    ctx.onRecord = (e) => {
      if (e.kind === "call") calls.push(e.call.effect);
      else if (e.kind !== "intent") tape[e.kind].push(e.value);
    };
    const ex = runtime.start(p, sampleInputs(p, sample.name), ctx);
    while (!ex.done) {
      const ev = await ex.next();
      out.push({ ev, tape, calls });
      tape = { clock: [], random: [] };
      calls = [];
    }
  }
  return out;
}

describe.each(names)("%s", (name) => {
  it.each([
    ["reference", new ReferenceRuntime()],
    ["direct", new DirectRuntime()],
  ] as const)("%s runtime events encode and decode", async (_, runtime) => {
    const all = await events(name, runtime);
    expect(all.length).toBeGreaterThan(2);
    for (const { ev, tape, calls } of all) {
      const json = eventJson(ev, tape, calls);
      // Stored with compact contract checks; read back, character for character what encodeEvent makes.
      expect(storedEventJson(json)).toBe(JSON.stringify(encodeEvent(ev, tape, calls)));
      const back = decodeStep(
        {
          trace_id: "t",
          idx: ev.index,
          step: ev.step,
          op: ev.op,
          line: ev.location.line,
          col: ev.location.col,
          event: json,
          duration_us: 1,
          hash: "",
        },
        ev.location.file,
      );
      expect(JSON.stringify(encodeEvent(back.event, back.tape))).toBe(JSON.stringify(encodeEvent(ev, tape)));
    }
  });
});
