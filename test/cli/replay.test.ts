import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, ROOT } from "../helpers/cli.js";

// The trace store's promise end to end through bin/: record the payment example,
// list and show it, replay it exactly, travel back and forth, fork it with a longer
// charge timeout so a slow simulated charge succeeds, diff, and apply the edit.

const dir = mkdtempSync(join(tmpdir(), "vesper-replay-"));
const env = { VEYRA_STORE: join(dir, "store.db") };
const vesper = (args: string[]) => cli("vesper", args, { env, cwd: dir });
const lines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

function record(args: string[]): string {
  const r = vesper(["run", ...args, "--json"]);
  const out = JSON.parse(r.stdout) as { traces: { id: string; runtime: string; role: string }[] };
  expect(out.traces.length).toBeGreaterThan(0);
  return out.traces[0]!.id;
}

describe("recording and replaying the payment example", () => {
  let id: string;
  beforeAll(() => {
    id = record([join(ROOT, "examples/payment.vsp"), "--runtime", "reference"]);
  });

  it("vesper run records by default and prints the trace id; --no-record does not", () => {
    const r = vesper(["run", join(ROOT, "examples/payment.vsp")]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/trace tr_[0-9a-f]{16} \(reference, primary\): vesper replay tr_/);
    expect(r.stdout).toMatch(/trace tr_[0-9a-f]{16} \(direct, secondary\)/);
    const quiet = vesper(["run", join(ROOT, "examples/payment.vsp"), "--no-record", "--json"]);
    expect(JSON.parse(quiet.stdout).traces).toEqual([]);
  });

  it("traces list and show find it", () => {
    const list = vesper(["traces", "list", "--json", "--node", "payments.process_payment@1.0.0"]);
    expect(list.status).toBe(0);
    const found = lines(list.stdout).find((t) => t.id === id);
    expect(found).toMatchObject({
      runtime: "reference",
      mode: "reference_only",
      status: "success",
      steps: 7,
      step_rows: 8,
    });
    const show = vesper(["traces", "show", id]);
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(/✓\s+2 compute_fee\s+compute .*fee = 3\.2; credit_used = 10; to_charge = 93\.19/);
    expect(show.stdout).toMatch(/✓\s+4 charge_card .*sim\.payments\.charge ok ×1/);
    expect(show.stdout).toMatch(/✓ success: .*charged: 93\.19/);
  });

  it("replays to the end with identical outputs (also by a unique id prefix)", () => {
    const r = vesper(["replay", id.slice(0, 10), "--commands", "continue", "--json"]);
    expect(r.status).toBe(0);
    const replies = lines(r.stdout);
    const end = replies.at(-1)!;
    expect(end.identical).toBe(true);
    expect(end.result).toMatchObject({
      status: "success",
      output: { charged: "93.19", fee: "3.20", credit_used: "10.00" },
    });
    expect((end.steps as { matches_recording: boolean }[]).every((s) => s.matches_recording)).toBe(true);
  });

  it("goes back to step 2 and forward again to the same state", () => {
    const r = vesper(["replay", id, "--json", "--commands", "goto 4; state; back 2; where; print fee; step 2; state"]);
    expect(r.status).toBe(0);
    const [, goto, before, back, where, print, step, after] = lines(r.stdout);
    expect(goto!.position).toBe(4);
    expect(back!.position).toBe(2);
    expect(where).toMatchObject({ position: 2, step: "compute_fee" });
    expect(print).toMatchObject({ value: "3.2" });
    expect(step!.position).toBe(4);
    expect(after).toEqual(before);
  });

  it("stdin carries the commands when there is no terminal", () => {
    const r = cli("vesper", ["replay", id], { env, cwd: dir, input: "step 3\nprint to_charge * 2\nquit\n" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("to_charge * 2 = 186.38");
  });

  it("a bad command is a clear error and the session goes on (exit 2 when scripted)", () => {
    const r = vesper(["replay", id, "--commands", "frobnicate; goto 99; print fee +; step"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stderr).toContain("there is no step 99");
    expect(r.stderr).toMatch(/print|column/);
    expect(r.stdout).toContain("✓ [0] enter");
  });
});

describe("fork: a longer timeout lets a slow simulated charge succeed", () => {
  it("modify, run, diff, apply --yes", () => {
    const file = join(dir, "payment.vsp");
    copyFileSync(join(ROOT, "examples/payment.vsp"), file);
    const original = readFileSync(file, "utf8");
    const run = vesper([
      "run",
      file,
      "--runtime",
      "reference",
      "--sim",
      "sim.payments.charge:latency_ms=4000",
      "--json",
    ]);
    expect(run.status).toBe(3);
    const id = (JSON.parse(run.stdout) as { traces: { id: string }[] }).traces[0]!.id;

    const r = vesper([
      "replay",
      id,
      "--json",
      "--yes",
      "--commands",
      "continue; calls; modify step 4 timeout_ms=4500; run; diff; apply",
    ]);
    expect(r.status).toBe(0);
    const [, cont, calls, modify, fork, diff, apply] = lines(r.stdout);
    expect(cont).toMatchObject({ identical: true, result: { status: "runtime_error" } });
    expect(calls!.calls).toMatchObject([
      { step: "charge_card", ok: false, attempts: 3, elapsed_ms: 9400, error: { code: "TIMEOUT" } },
    ]);
    expect(modify).toMatchObject({ edit: { step: "charge_card", param: "timeout_ms", before: "3000", after: "4500" } });
    expect(fork).toMatchObject({
      parent: id,
      fork_step: 4,
      original_status: "runtime_error",
      result: { status: "success", state: "paid" },
    });
    const outcome = diff!.outcome as { path: string; expected: unknown; actual: unknown }[];
    expect(outcome).toContainEqual(
      expect.objectContaining({ path: "status", expected: "runtime_error", actual: "success" }),
    );
    expect(diff!.steps).toContainEqual(expect.objectContaining({ index: 4, what: "call sim.payments.charge" }));
    expect(apply).toMatchObject({ applied: true });

    // Exactly that value changed in the file; comments and layout are intact.
    const edited = readFileSync(file, "utf8");
    expect(edited).toBe(original.replace("    timeout_ms: 3000\n", "    timeout_ms: 4500\n"));

    // The fork is a trace of its own, linked to its parent; the original is unchanged.
    const forkId = fork!.fork as string;
    const listed = lines(vesper(["traces", "list", "--json"]).stdout);
    expect(listed.find((t) => t.id === forkId)).toMatchObject({ parent_id: id, fork_step: 4, status: "success" });
    expect(listed.find((t) => t.id === id)).toMatchObject({ status: "runtime_error" });

    // A fork replays like any trace: its edits are re-applied to the parent's file.
    const again = vesper(["replay", forkId, "--commands", "continue"]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/end of trace: success .* — identical to the recording/);
    expect(again.stdout).not.toContain("changed since");
  });

  it("apply without --yes and without a terminal refuses and leaves the file alone", () => {
    const file = join(dir, "payment2.vsp");
    copyFileSync(join(ROOT, "examples/payment.vsp"), file);
    const id = record([file, "--runtime", "reference"]);
    const r = vesper(["replay", id, "--commands", "modify step 2 fee=ROUND(amount * 0.03, 2); apply"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("rerun with --yes");
    expect(readFileSync(file, "utf8")).toBe(readFileSync(join(ROOT, "examples/payment.vsp"), "utf8"));
  });

  it("an edit that makes the node invalid is refused with its diagnostic", () => {
    const id = record([join(ROOT, "examples/payment.vsp"), "--runtime", "reference"]);
    const r = vesper(["replay", id, "--commands", "modify step 2 fee=amount +; modify step 4 nope=1"]);
    expect(r.stderr).toMatch(/the edit makes the node invalid: .*payment\.vsp:\d+:\d+: V\d+/);
    expect(r.stderr).toContain("step 'charge_card' has no parameter 'nope' (parameters: tool, args.amount");
  });

  it("a replay of a changed node file says where it departs from the recording (exit 4)", () => {
    const file = join(dir, "payment3.vsp");
    copyFileSync(join(ROOT, "examples/payment.vsp"), file);
    const id = record([file, "--runtime", "reference"]);
    const text = readFileSync(file, "utf8").replace(
      "ROUND(amount * 0.029 + 0.30, 2)",
      "ROUND(amount * 0.03 + 0.30, 2)",
    );
    writeFileSync(file, text);
    const r = vesper(["replay", id, "--commands", "continue"]);
    expect(r.status).toBe(4);
    expect(r.stdout.split("\n")[0]).toMatch(
      /^WARNING: the node file changed since the recording \(sha256 \w{8} → \w{8}\)/,
    );
    expect(r.stdout).toMatch(
      /≠ \[2\] compute_fee .*\n\s+differs from the recording: fee was 3\.2 when recorded, 3\.3 in the replay/,
    );
  });
});
