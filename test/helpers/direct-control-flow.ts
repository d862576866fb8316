import type { NodeParts } from "./direct-passes.js";

// One node that exercises every way a compiled step continues: a validate that
// fails, nested branches (one with an empty else), a guard that skips a step, an
// error recovered by a fallback, and a return. Both tiers of the direct runtime are
// run on it by their own tests, against the results written out below.

export const CONTROL_FLOW: NodeParts = {
  outputs: "y: integer\nlabel: string\nratio: decimal",
  errors: "code: enum[NEGATIVE]\nmessage: string",
  flow: `
    - step: check
      op: validate
      check: "x >= 0"
      error: {code: NEGATIVE, message: "x must not be negative"}
    - step: init
      op: compute
      set:
        bonus: "0"
        label: "'small'"
    - step: classify
      op: branch
      if: "x > 10"
      then:
        - step: big
          op: compute
          set:
            label: "'big'"
        - step: very
          op: branch
          if: "x > 100"
          then:
            - step: huge
              op: compute
              set:
                label: "'huge'"
    - step: skip_five
      op: compute
      guards: ["x != 5"]
      set:
        bonus: "1"
    - step: divide
      op: compute
      set:
        ratio: "100 / x"
      error_handling:
        fallback:
          set:
            ratio: "0.0"
    - step: done
      op: return
      output: success
      values:
        y: "x + bonus"
        label: "label"
        ratio: "ratio"`,
};

export const CONTROL_FLOW_CASES = [
  { x: -1, result: { status: "error", output: { code: "NEGATIVE", message: "x must not be negative" } } },
  { x: 0, result: { status: "success", output: { y: 1, label: "small", ratio: "0" } } },
  { x: 5, result: { status: "success", output: { y: 5, label: "small", ratio: "20" } } },
  { x: 50, result: { status: "success", output: { y: 51, label: "big", ratio: "2" } } },
  { x: 200, result: { status: "success", output: { y: 201, label: "huge", ratio: "0.5" } } },
];
