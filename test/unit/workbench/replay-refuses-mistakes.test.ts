import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isCommandMistake, VesperError } from "../../../src/values/errors.js";
import { openReplay, type Replay } from "../../../src/workbench/replay.js";
import { type RecordedPayment, recordPayment } from "../../helpers/recorded-payment.js";

// Mistakes made through the typed replay API are refused at once with a usage (or,
// for an input value, an input) VesperError whose message says what is wrong and
// what to do — what a session reports before going on — and a refused edit leaves
// the edits, the fork and the file as they were.

let rec: RecordedPayment;
let replay: Replay;

beforeEach(async () => {
  rec = await recordPayment();
  replay = openReplay(rec.store, rec.traceId);
});

afterEach(() => rec.store.close());

/** The error `act` throws (or rejects with), checked to be a user's mistake of `kind`. */
async function refusal(act: () => unknown, kind: "usage" | "input" = "usage"): Promise<VesperError> {
  let thrown: unknown;
  try {
    await act();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(VesperError);
  const e = thrown as VesperError;
  expect(e.kind).toBe(kind);
  expect(isCommandMistake(e)).toBe(true);
  return e;
}

describe("edits the typed replay API refuses", () => {
  it("a step that does not exist", async () => {
    expect((await refusal(() => replay.editStep(99, "timeout_ms", "1"))).message).toBe(
      `the trace has steps 0 to ${replay.last}; there is no step 99`,
    );
    expect((await refusal(() => replay.editStep(-1, "timeout_ms", "1"))).message).toContain("there is no step -1");
  });

  it("step 0, which is enter: inputs are edited with editInput", async () => {
    expect((await refusal(() => replay.editStep(0, "amount", "5"))).message).toContain("edit an input instead");
  });

  it("a parameter the step does not have, naming those it has", async () => {
    expect((await refusal(() => replay.editStep(4, "nope", "1"))).message).toBe(
      "step 'charge_card' has no parameter 'nope' (parameters: tool, args.amount, args.currency, args.idempotency_key, bind, returns.id, returns.status, timeout_ms, error_handling.retry.max_attempts, error_handling.retry.backoff_ms, error_handling.on_error.code, error_handling.on_error.message)",
    );
  });

  it("a value of the wrong kind for the value it replaces", async () => {
    expect((await refusal(() => replay.editStep(4, "timeout_ms", "soon"))).message).toBe(
      "'soon' is not a number, and the value it replaces (3000) is one",
    );
  });

  it("a value that makes the node invalid, with the validator's diagnostic", async () => {
    const e = await refusal(() => replay.editStep(2, "fee", "amount +"));
    expect(e.message).toMatch(/^the edit makes the node invalid: .*payment\.vsp:\d+:\d+: V\d+: .*unexpected/);
    // Nothing was kept: the next edit is the first, and a fork runs only it.
    expect(replay.edits).toEqual([]);
    replay.editStep(4, "timeout_ms", "6000");
    const fork = await replay.fork();
    expect(fork.result.status).toBe("success");
    expect(JSON.parse(fork.trace.fork_change!)).toHaveLength(1);
  });

  it("an input value that does not fit its declared type (an input error)", async () => {
    const e = await refusal(() => replay.editInput("amount", "lots"), "input");
    expect(e.message).toContain("amount");
    expect((await refusal(() => replay.editInput("nope", "1"), "input")).message).toContain(
      "'nope' is not an input of payments.process_payment@1.0.0",
    );
    expect(replay.edits).toEqual([]);
  });
});

describe("fork, diff and apply with nothing to do", () => {
  it("fork with no edits", async () => {
    expect((await refusal(() => replay.fork())).message).toBe(
      "nothing to run: modify a step first (modify step N PARAM=VALUE)",
    );
  });

  it("diff with no fork, and after an edit made since the fork", async () => {
    expect((await refusal(() => replay.diff())).message).toBe(
      "no fork to compare yet: modify a step, then run; or rerun the current file",
    );
    replay.editStep(4, "timeout_ms", "6000");
    await replay.fork();
    expect(replay.diff().fork).toBe(replay.forked!.trace.id);
    replay.editStep(4, "timeout_ms", "7000");
    expect(replay.forked).toBeUndefined();
    expect((await refusal(() => replay.diff())).message).toBe(
      "no fork to compare yet: modify a step, then run; or rerun the current file",
    );
  });

  it("apply with no edits, or only input edits, writes nothing", async () => {
    const original = readFileSync(rec.file, "utf8");
    expect((await refusal(() => replay.apply({ yes: true }))).message).toBe("nothing to apply: modify a step first");
    replay.editInput("amount", "50");
    expect((await refusal(() => replay.apply({ yes: true }))).message).toBe(
      "only inputs were modified, and inputs are not part of the node file: nothing to apply",
    );
    expect(readFileSync(rec.file, "utf8")).toBe(original);
  });

  it("apply with no way to ask and no yes refuses; a file changed since opening is not overwritten", async () => {
    replay.editStep(4, "timeout_ms", "6000");
    expect((await refusal(() => replay.apply())).message).toBe(
      `apply changes ${rec.file} (charge_card.timeout_ms: 3000 → 6000); rerun with --yes to allow it without a prompt`,
    );
    const changed = `${readFileSync(rec.file, "utf8")}# someone else's edit\n`;
    writeFileSync(rec.file, changed);
    expect((await refusal(() => replay.apply({ yes: true }))).message).toBe(
      `${rec.file} changed since the session opened; not overwriting it (reopen the replay to edit the new text)`,
    );
    expect(readFileSync(rec.file, "utf8")).toBe(changed);
  });
});

describe("travel the typed replay API refuses", () => {
  it("past either end, to a step that does not exist, by a count that is not positive", async () => {
    expect((await refusal(() => replay.back())).message).toBe("already before the first step");
    expect((await refusal(() => replay.step(0))).message).toBe("step takes a positive number of steps, not '0'");
    expect((await refusal(() => replay.back(1.5))).message).toBe("back takes a positive number of steps, not '1.5'");
    expect((await refusal(() => replay.goto(replay.last + 1))).message).toBe(
      `the trace has steps 0 to ${replay.last}; there is no step ${replay.last + 1}`,
    );
    expect((await refusal(() => replay.goto(-2))).message).toBe(
      `goto needs a step number between 0 and ${replay.last}, not '-2'`,
    );
    await replay.continue();
    expect((await refusal(() => replay.step())).message).toBe(
      `already at the end of the trace (step ${replay.last}); back or goto to travel`,
    );
    expect((await refusal(() => replay.print(""))).message).toBe(
      "print needs an expression, e.g. print customer.balance",
    );
    expect((await refusal(() => replay.print("fee +"))).message).toMatch(/at column \d+/);
  });
});
