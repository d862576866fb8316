import { describe, expect, it } from "vitest";
import { validateSource } from "../../../src/ir/validate.js";

// A name bound in only one arm of a branch has no value after the branch when the
// other arm ran. The validator says so — where it is bound and which path lacks it —
// instead of calling it unknown and suggesting an unrelated name.

function node(thenSet: string, elseSet: string, use: string, elseReturns = false): string {
  const elseArm = elseReturns
    ? `      - step: low
        op: return
        output: success
        values: {r: "0"}`
    : `      - step: low
        op: compute
        set: {${elseSet}}`;
  return `node_id: t.arm@1.0.0
type: function
inputs:
  x: {type: integer}
outputs:
  success: {r: integer}
flow:
  - step: pick
    op: branch
    if: "x > 0"
    then:
      - step: high
        op: compute
        set: {${thenSet}}
    else:
${elseArm}
  - step: c
    op: compute
    set:
      r: "${use}"
  - step: ret
    op: return
    output: success
    values: {r: r}
`;
}

const errors = (text: string) => validateSource("arm.vsp", text).diagnostics.filter((d) => d.severity === "error");

describe("a name bound in one branch arm", () => {
  it("is reported with the step that binds it and the arm that leaves it unset", () => {
    const [d, ...rest] = errors(node('rate: "2"', 'other: "1"', "rate * x"));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "V401", line: 22, col: 11 });
    expect(d!.message).toContain(
      "'rate' is bound only in step 'high', in the then arm of branch 'pick', so it has no value after the branch when the else arm runs",
    );
    expect(d!.message).not.toContain("did you mean");
  });

  it("names the else arm when only the else arm binds it", () => {
    const [d] = errors(node('other: "1"', 'rate: "2"', "rate * x"));
    expect(d!.message).toContain(
      "in step 'low', in the else arm of branch 'pick', so it has no value after the branch when the then arm runs",
    );
  });

  it("is visible when both arms bind it, or when the other arm returns", () => {
    expect(errors(node('rate: "2"', 'rate: "3"', "rate * x"))).toEqual([]);
    expect(errors(node('rate: "2"', "", "rate * x", true))).toEqual([]);
  });

  it("a name bound nowhere is still an unknown name with a suggestion", () => {
    const [d] = errors(node('rate: "2"', 'rate: "3"', "rat * x"));
    expect(d!.message).toBe("in 'r' in step 'c': unknown name 'rat'; did you mean 'rate'?");
  });
});
