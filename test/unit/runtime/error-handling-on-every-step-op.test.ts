// error_handling (docs/vesper-ir.md 7.12) on every step op that can fail, not only calls, on
// the reference and both tiers of the direct runtime: a failing compute, validate check,
// branch condition, guard or return value ends with on_error's output, or with fallback
// binds and the flow goes on past the step (a branch runs neither arm, a return does not
// end the node); given both, fallback wins; retry and timeout_ms on a step that is not a
// call change nothing.
import { describe, expect, it } from "vitest";
import { inputs, node, plain, runAll } from "../../helpers/runtimes.js";

/**
 * Each mode runs one failing step (10 / q with q = 0) under its error_handling: the node is
 * the same in both variants but for the error_handling of compute c_err, validate v_fb,
 * branch b_fb and return r_fb (YAML lines at the step's indentation).
 */
const failingSteps = (id: string, handling: { compute: string; validate: string; branch: string; ret: string }) =>
  node(`node_id: ${id}
type: function
intent: error_handling on every op.
inputs:
  q: {type: integer}
  mode: {type: "enum[compute_fb, compute_err, validate_fb, validate_err, branch_fb, guard_fb, return_fb, transition_fb]"}
outputs:
  success:
    v: decimal
    path: string
  error:
    code: enum[BAD, DIV, VAL, BR, RET, TEN]
    message: string
states:
  initial: start
  states: [start, done, other]
  transitions:
    start: [done]
flow:
  - step: c_fb
    op: compute
    guards: ["mode == 'compute_fb'"]
    set: {v: "10.0 / q"}
    error_handling:
      retry: {max_attempts: 3}
      timeout_ms: 5
      fallback: {set: {v: "0.0"}}
  - step: r_c_fb
    op: return
    guards: ["mode == 'compute_fb'"]
    output: success
    values: {v: "v", path: "'compute_fb'"}
  - step: c_err
    op: compute
    guards: ["mode == 'compute_err'"]
    set: {w: "10.0 / q"}
    error_handling:
${handling.compute}
  - step: v_fb
    op: validate
    guards: ["mode == 'validate_fb' OR mode == 'validate_err'"]
    check: "10 / q > 1"
    error: {code: BAD, message: "bad"}
    error_handling:
${handling.validate}
  - step: b_fb
    op: branch
    guards: ["mode == 'branch_fb'"]
    if: "10 / q > 1"
    then:
      - step: r_then
        op: return
        output: success
        values: {v: "1.0", path: "'then'"}
    else:
      - step: r_else
        op: return
        output: success
        values: {v: "2.0", path: "'else'"}
    error_handling:
${handling.branch}
  - step: g_fb
    op: compute
    guards: ["mode == 'guard_fb' AND 10 / q > 1"]
    set: {u: "1.0"}
    error_handling:
      on_error: {code: BAD, message: "guard failed"}
  - step: r_fb
    op: return
    guards: ["mode == 'return_fb'"]
    output: success
    values: {v: "10.0 / q", path: "'ret'"}
    error_handling:
${handling.ret}
  - step: go
    op: transition
    to: done
  - step: r_end
    op: return
    output: success
    values: {v: "5.0", path: "'end'"}
`);

/** on_error only (compute c_fb has its fallback in both). */
const ON_ERROR = failingSteps("t.eh@1.0.0", {
  compute: '      on_error: {code: DIV, message: "division"}',
  validate: '      on_error: {code: VAL, message: "validate failed"}',
  branch: '      on_error: {code: BR, message: "branch failed"}',
  ret: '      on_error: {code: RET, message: "return failed"}',
});

/** The same, with fallback given (and, on compute and return, on_error beside it). */
const FALLBACK = failingSteps("t.eh2@1.0.0", {
  compute: '      on_error: {code: DIV, message: "division"}\n      fallback: {set: {w: "7.0"}}',
  validate: '      fallback: {set: {vv: "1"}}',
  branch: '      fallback: {set: {bb: "1"}}',
  ret: '      fallback: {set: {rr: "1"}}\n      on_error: {code: RET, message: "return failed"}',
});

async function answer(p: typeof ON_ERROR, mode: string) {
  const runs = await runAll(p, inputs({ q: 0n, mode }));
  const ref = plain(runs.reference);
  // Both direct tiers answer as the reference does.
  expect(plain(runs.closures)).toEqual(ref);
  expect(plain(runs.generated)).toEqual(ref);
  return { status: ref.status, output: ref.output };
}

describe("error_handling on every step op", () => {
  it.each([
    ["compute_fb", { status: "success", output: { v: "0", path: "compute_fb" } }],
    ["compute_err", { status: "error", output: { code: "DIV", message: "division" } }],
    ["validate_fb", { status: "error", output: { code: "VAL", message: "validate failed" } }],
    ["branch_fb", { status: "error", output: { code: "BR", message: "branch failed" } }],
    ["guard_fb", { status: "error", output: { code: "BAD", message: "guard failed" } }],
    ["return_fb", { status: "error", output: { code: "RET", message: "return failed" } }],
  ])("on_error (or fallback on compute, retry and timeout_ms ignored): %s", async (mode, expected) => {
    expect(await answer(ON_ERROR, mode)).toEqual(expected);
  });

  it.each(["compute_err", "validate_fb", "branch_fb", "return_fb"])(
    "fallback binds and the flow goes on past the failed step, on_error beside it unused: %s",
    async (mode) => {
      expect(await answer(FALLBACK, mode)).toEqual({ status: "success", output: { v: "5", path: "end" } });
    },
  );
});
