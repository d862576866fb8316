import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// Each breakpoint kind stops at the right step of a real example, end to end
// through bin/; bad specs are usage errors on the command line (exit 2, naming
// --break-on) and clear errors at the prompt, where the session goes on.

const lines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, any>);

function firstStop(args: string[]) {
  const r = cli("vesper", ["debug", ...args, "--no-record", "--json", "--commands", "continue"]);
  expect(r.status, r.stderr).toBe(0);
  return lines(r.stdout).find((e) => e.event === "stop")!;
}

const dir = mkdtempSync(join(tmpdir(), "vesper-debug-bp-"));
const overdraw = join(dir, "overdraw.vsp");
writeFileSync(
  overdraw,
  `node_id: test.overdraw@1.0.0
type: function
intent: Withdraw without checking the balance first.
inputs:
  balance: decimal
  amount: decimal
outputs:
  success:
    left: decimal
  error:
    code: enum[NOPE]
    message: string
contracts:
  invariants:
    - name: never_negative
      check: "left >= 0"
flow:
  - step: withdraw
    op: compute
    set:
      left: "balance - amount"
  - step: done
    op: return
    output: success
    values:
      left: "left"
`,
);

describe("each breakpoint kind stops at the right step", () => {
  it("step:NAME stops before the step runs, showing the call it is about to make on each side", () => {
    const stop = firstStop(["examples/payment.vsp", "--break-on", "step:charge_card"]);
    expect(stop).toMatchObject({ reason: "breakpoint", before_step: true });
    expect(stop.breakpoints[0]).toMatchObject({ kind: "step", spec: "step:charge_card" });
    expect(stop.reference.at.step).toBe("start_processing");
    for (const side of ["reference", "direct"]) {
      expect(stop[side].next).toMatchObject({
        step: "charge_card",
        op: "call",
        summary: "call sim.payments.charge",
        args: { amount: "93.19", currency: "USD" },
      });
    }
  });

  it("call:TOOL stops before the step that calls the tool", () => {
    const stop = firstStop(["examples/payment.vsp", "--break-on", "call:sim.payments.charge"]);
    expect(stop).toMatchObject({ before_step: true });
    expect(stop.reference.next.step).toBe("charge_card");
  });

  it("state_transition:FROM->TO stops after the transition, and * matches any state", () => {
    expect(
      firstStop(["examples/payment.vsp", "--break-on", "state_transition:pending->processing"]).reference.at.step,
    ).toBe("start_processing");
    const stop = firstStop(["examples/payment.vsp", "--break-on", "state_transition:*->paid"]);
    expect(stop.reference.at.step).toBe("mark_paid");
    expect(stop.reference.state).toBe("paid");
  });

  it("an expression over bindings stops at the step after which it becomes true", () => {
    const stop = firstStop(["examples/payment.vsp", "--break-on", "to_charge > 50"]);
    expect(stop.reference.at.step).toBe("compute_fee");
    expect(stop.breakpoints[0].message).toContain("became true");
  });

  it("an expression over the inputs stops at enter, where the inputs are checked", () => {
    const stop = firstStop(["examples/payment.vsp", "--sample", "large_order", "--break-on", "input.amount > 5000"]);
    expect(stop.reference.at.step).toBe("enter");
  });

  it("an expression that never becomes true lets the runs finish", () => {
    const stop = firstStop(["examples/payment.vsp", "--break-on", "customer.balance < 0"]);
    expect(stop.reason).toBe("ended");
  });

  it("contract_violation stops at the step whose invariant fails", () => {
    const stop = firstStop([
      overdraw,
      "--input",
      "balance=10",
      "--input",
      "amount=15",
      "--break-on",
      "contract_violation",
    ]);
    expect(stop.reference.at.step).toBe("withdraw");
    expect(stop.breakpoints[0].message).toContain("invariant 'never_negative' fails at step 'withdraw'");
    expect(stop.reference.result.status).toBe("contract_violation");
  });

  it("contract_violation also stops on an input constraint that fails at enter", () => {
    const stop = firstStop([
      "examples/payment.vsp",
      "--sample",
      "default",
      "--input",
      "amount=-5",
      "--break-on",
      "contract_violation",
    ]);
    expect(stop.reference.at.step).toBe("enter");
  });

  it("several breakpoints: the session stops at each in turn", () => {
    const r = cli("vesper", [
      "debug",
      "examples/payment.vsp",
      "--no-record",
      "--json",
      "--break-on",
      "step:compute_fee",
      "--break-on",
      "state_transition:processing->paid",
      "--commands",
      "continue; continue; continue",
    ]);
    const stops = lines(r.stdout).filter((e) => e.event === "stop");
    expect(stops.map((s) => [s.reason, s.breakpoints[0]?.spec ?? null])).toEqual([
      ["breakpoint", "step:compute_fee"],
      ["breakpoint", "state_transition:processing->paid"],
      ["ended", null],
    ]);
  });

  it("break, breaks and delete at the prompt", () => {
    const r = cli("vesper", [
      "debug",
      "examples/payment.vsp",
      "--no-record",
      "--commands",
      "break step:settle; breaks; delete 1; continue; breaks",
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("breakpoint 2: step:settle");
    expect(r.stdout).toContain("deleted breakpoint 1 (divergence)");
    expect(r.stdout).toContain("breakpoint 2 (step:settle): before step 'settle'");
    expect(r.stdout).toMatch(/2 {2}step:settle .*\(hit 1 time\)/);
  });
});

describe("bad breakpoints on the command line are usage errors", () => {
  const bad: [string, RegExp][] = [
    ["step:charge_crd", /no step named 'charge_crd'; did you mean 'charge_card'\?/],
    ["call:sim.payments.refund", /never calls 'sim.payments.refund'/],
    ["state_transition:pending->done", /'done' is not a state of payments.process_payment@1.0.0/],
    ["state_transition:pending", /state_transition needs FROM->TO/],
    ["divergense", /'divergense' is not a breakpoint; did you mean 'divergence'\?/],
    ["amount >", /cannot parse 'amount >'.*\n {2}amount >\n {10}\^/],
    ["bogus > 3", /unknown name 'bogus'/],
    ["amount + 1", /must be true or false/],
  ];
  for (const [spec, message] of bad) {
    it(`--break-on '${spec}'`, () => {
      const r = cli("vesper", ["debug", "examples/payment.vsp", "--no-record", "--break-on", spec]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`vesper: error: --break-on '${spec}':`);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    });
  }

  it("other bad flags name the flag", () => {
    expect(cli("vesper", ["debug", "examples/payment.vsp", "--width", "7"]).stderr).toContain(
      "--width must be a whole number from 40 to 1,000, not '7'",
    );
    expect(cli("vesper", ["debug", "examples/payment.vsp", "--input", "nope=1"]).status).toBe(2);
    expect(cli("vesper", ["debug", "examples/payment.vsp", "--commands", "step", "--script", "x"]).stderr).toContain(
      "--commands and --script cannot be combined",
    );
    expect(cli("vesper", ["debug", "examples/payment.vsp", "--script", join(dir, "missing.txt")]).stderr).toContain(
      "--script: cannot read",
    );
    expect(cli("vesper", ["debug"]).stderr).toContain("needs a .vsp file, or --trace");
  });
});

describe("mistakes at the prompt are clear errors and the session goes on", () => {
  it("reports each mistake and still runs the commands after it", () => {
    const r = cli("vesper", [
      "debug",
      "examples/payment.vsp",
      "--no-record",
      "--commands",
      "break step:nope; break 'amount >'; print nonsense; step x; delete 9; frobnicate; step 3; print fee",
    ]);
    expect(r.stderr).toContain("error: no step named 'nope'; did you mean 'done'?");
    expect(r.stderr).toMatch(
      /error: cannot parse 'amount >': unexpected end of expression; expected an expression\n {2}amount >\n {10}\^/,
    );
    expect(r.stderr).toContain("error: in 'nonsense': unknown name 'nonsense'");
    expect(r.stderr).toContain("error: step takes a positive number of steps, not 'x'");
    expect(r.stderr).toContain("error: no breakpoint 9");
    expect(r.stderr).toContain("error: unknown command 'frobnicate'");
    expect(r.stdout).toMatch(/\(vesper-db\) print fee\nreference {2}3\.2\ndirect {5}3\.2/);
    // The commands were bad usage, so a scripted session says so in its status.
    expect(r.status).toBe(2);
  });

  it("a --script file gives the same session as --commands", () => {
    const script = join(dir, "session.vdb");
    writeFileSync(
      script,
      "# stop before the charge, look, go on\nbreak call:sim.payments.charge\ncontinue\n\nprint to_charge\ncontinue\n",
    );
    const fromScript = cli("vesper", ["debug", "examples/payment.vsp", "--no-record", "--script", script]);
    const fromCommands = cli("vesper", [
      "debug",
      "examples/payment.vsp",
      "--no-record",
      "--commands",
      "break call:sim.payments.charge; continue; print to_charge; continue",
    ]);
    expect(fromScript.status).toBe(0);
    expect(fromScript.stdout).toBe(fromCommands.stdout);
    expect(fromScript.stdout).toContain("(vesper-db) print to_charge\nreference  93.19");
  });

  it("with --json, errors are events in the stream", () => {
    const r = cli("vesper", [
      "debug",
      "examples/payment.vsp",
      "--no-record",
      "--json",
      "--commands",
      "print nonsense; step",
    ]);
    const events = lines(r.stdout);
    expect(events.find((e) => e.event === "error")).toMatchObject({
      command: "print nonsense",
      message: expect.stringContaining("unknown name 'nonsense'"),
    });
    expect(events.some((e) => e.event === "step")).toBe(true);
  });
});
