import { describe, expect, it } from "vitest";
import { Decimal } from "../../../src/values/decimal.js";
import { inputs, node, runAll } from "../../helpers/runtimes.js";

// A failed contract ends the run with a typed violation naming the contract, its
// text, where it is written and the step after which it failed; both runtimes
// report the same one.

const account = (overrides: { post?: string; invariant?: string; debit?: string } = {}) =>
  node(
    `
node_id: bank.withdraw@1.0.0
type: handler
inputs:
  balance: decimal
  amount: {type: decimal, constraints: ["amount > 0"]}
outputs:
  success:
    new_balance: decimal
  error:
    code: enum[INSUFFICIENT]
    message: string
contracts:
  preconditions:
    - name: not_overdrawn
      check: "balance >= 0"
  postconditions:
    - name: balance_drops_by_amount
      check: "${overrides.post ?? "output.new_balance == old(balance) - amount"}"
  invariants:
    - "${overrides.invariant ?? "balance >= 0"}"
flow:
  - step: check
    op: validate
    check: "amount <= balance"
    error: {code: INSUFFICIENT, message: "not enough money"}
  - step: debit
    op: compute
    set:
      left: "${overrides.debit ?? "balance - amount"}"
  - step: done
    op: return
    output: success
    values:
      new_balance: "left"
`,
    "withdraw.vsp",
  );

const money = (balance: string, amount: string) =>
  inputs({ balance: new Decimal(balance), amount: new Decimal(amount) });

describe("contract violations are typed results naming the contract and the step", () => {
  it("a run that keeps every contract succeeds", async () => {
    const runs = await runAll(account(), money("100.00", "30.50"));
    for (const r of Object.values(runs)) {
      expect(r.status).toBe("success");
      expect(r.output!.fields.get("new_balance")!.toString()).toBe("69.5");
    }
  });

  it("a failed precondition stops the run before the first step", async () => {
    const runs = await runAll(account(), money("-1", "5"));
    for (const r of Object.values(runs)) {
      expect(r.status).toBe("contract_violation");
      expect(r.steps).toBe(0);
      expect(r.failure).toMatchObject({
        code: "C001",
        contract: { kind: "precondition", name: "not_overdrawn", text: "balance >= 0" },
        location: { file: "withdraw.vsp", line: 16, col: 15 },
      });
      expect(r.failure!.message).toBe("precondition 'not_overdrawn' failed: balance >= 0");
    }
  });

  it("an input constraint is checked at entry", async () => {
    const runs = await runAll(account(), money("10", "-5"));
    for (const r of Object.values(runs))
      expect(r.failure).toMatchObject({ code: "C004", contract: { kind: "input constraint", text: "amount > 0" } });
  });

  it("a postcondition with old() is checked against the values at entry", async () => {
    // The flow takes one cent too many; old(balance) is what the node was called with.
    const runs = await runAll(account({ debit: "balance - amount - 0.01" }), money("100", "30"));
    for (const r of Object.values(runs)) {
      expect(r.status).toBe("contract_violation");
      expect(r.failure).toMatchObject({
        code: "C002",
        step: "done",
        contract: {
          kind: "postcondition",
          name: "balance_drops_by_amount",
          text: "output.new_balance == old(balance) - amount",
        },
      });
      expect(r.failure!.message).toBe(
        "postcondition 'balance_drops_by_amount' failed after step 'done': output.new_balance == old(balance) - amount",
      );
    }
  });

  it("an invariant is checked after every step and names the step that broke it", async () => {
    const runs = await runAll(account({ invariant: "NOT (left < 50)", post: "true" }), money("100", "60"));
    for (const r of Object.values(runs)) {
      expect(r.status).toBe("runtime_error"); // before `debit`, `left` has no value: R100, as the spec says
      expect(r.failure).toMatchObject({ code: "R100", step: "check" });
    }
  });

  it("an invariant that short-circuits its reads fails at the step that breaks it", async () => {
    const p = account({ invariant: "balance - amount >= 50", post: "true" });
    const runs = await runAll(p, money("100", "60"));
    for (const r of Object.values(runs)) {
      expect(r.status).toBe("contract_violation");
      expect(r.failure).toMatchObject({
        code: "C003",
        step: "check",
        contract: { kind: "invariant", text: "balance - amount >= 50" },
      });
      expect(r.steps).toBe(1);
    }
  });
});
