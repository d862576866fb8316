import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { toJson } from "../../../src/values/json.js";
import { formatValue } from "../../../src/values/values.js";
import { openReplay, type ReplayState } from "../../../src/workbench/replay.js";
import { type RecordedPayment, recordPayment } from "../../helpers/recorded-payment.js";

// Time travel through the typed replay API, as the TUI's replay pane drives it: going
// back restores the exact state from snapshots, going forward again re-executes to the
// same state, each step is checked against its recorded row, and a changed node file
// is reported at the first step that departs.

let rec: RecordedPayment;

afterEach(() => rec.store.close());

const plain = (s: ReplayState) => ({
  position: s.position,
  state: s.state,
  elapsedMs: s.elapsedMs,
  inputs: Object.fromEntries([...s.inputs].map(([k, v]) => [k, toJson(v)])),
  bindings: Object.fromEntries([...s.bindings].map(([k, v]) => [k, toJson(v)])),
});

describe("travelling through a recorded payment", () => {
  it("goto, back, where, print and step land on the same states", async () => {
    rec = await recordPayment();
    const replay = openReplay(rec.store, rec.traceId);
    expect(replay.position).toBe(-1);
    expect(replay.where()).toMatchObject({ position: -1, event: undefined, next: { index: 0, step: "enter" } });

    const ahead = await replay.goto(4);
    expect(ahead.kind).toBe("ran");
    if (ahead.kind !== "ran") return;
    expect(ahead.run.steps.map((s) => s.event.index)).toEqual([0, 1, 2, 3, 4]);
    expect(ahead.run.steps.every((s) => s.mismatch === undefined)).toBe(true);
    expect(ahead.run.end).toBeUndefined();
    const before = plain(replay.state());
    expect(before).toMatchObject({ position: 4, state: "processing", bindings: { fee: "3.2", to_charge: "93.19" } });
    expect(replay.calls()).toMatchObject([{ step: "charge_card", made: true, effect: { ok: true } }]);

    const back = replay.back(2);
    expect(back).toMatchObject({ position: 2, event: { step: "compute_fee", op: "compute" } });
    expect(back.sourceLine).toContain("compute_fee");
    expect(back.next).toMatchObject({ index: 3, step: "start_processing" });
    expect(formatValue(replay.print("fee"))).toBe("3.2");
    expect(formatValue(replay.print("to_charge * 2"))).toBe("186.38");
    expect(replay.calls()[0]!.made).toBe(false);

    await replay.step(2);
    expect(plain(replay.state())).toEqual(before);

    const rewound = await replay.goto(1);
    expect(rewound).toMatchObject({ kind: "rewound", where: { position: 1 } });

    const end = await replay.continue();
    expect(end.done).toBe(true);
    expect(replay.done).toBe(true);
    expect(end.position).toBe(replay.last);
    expect(end.end).toMatchObject({ identical: true, departure: undefined, result: { status: "success" } });
    expect(replay.where().next).toBeUndefined();
  });

  it("a changed node file: the first step that departs says how, and the end is not identical", async () => {
    rec = await recordPayment();
    writeFileSync(
      rec.file,
      readFileSync(rec.file, "utf8").replace("ROUND(amount * 0.029 + 0.30, 2)", "ROUND(amount * 0.03 + 0.30, 2)"),
    );
    const replay = openReplay(rec.store, rec.traceId);
    expect(replay.fileChanged).toBe(true);
    expect(replay.tampered).toBeUndefined();
    const run = await replay.continue();
    const departed = run.steps.find((s) => s.mismatch);
    expect(departed?.mismatch).toEqual({
      index: 2,
      step: "compute_fee",
      message: "fee was 3.2 when recorded, 3.3 in the replay",
    });
    expect(run.end).toMatchObject({ identical: false, departure: { index: 2 } });
    expect(replay.mismatches[0]).toEqual(departed!.mismatch);
  });
});
