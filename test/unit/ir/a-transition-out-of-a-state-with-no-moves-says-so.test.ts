// A transition step from a state that states.transitions gives no moves (V305) said
// "from 'b' only no state can follow"; it says "no state can follow 'b'", and a
// state with moves still lists them.
import { describe, expect, it } from "vitest";
import { node } from "../../helpers/runtimes.js";

const messages = (transitions: string): string[] => {
  try {
    node(
      `node_id: moves.none@1.0.0
type: handler
outputs: {success: {}}
states: {initial: a, states: [a, b, c], transitions: ${transitions}}
flow:
  - {step: t1, op: transition, to: b}
  - {step: t2, op: transition, to: a}
`,
      "moves.vsp",
    );
    return [];
  } catch (err) {
    return ((err as { diagnostics?: { message: string }[] }).diagnostics ?? []).map((d) => d.message);
  }
};

describe("a transition the state machine does not allow", () => {
  it("out of a state with no moves says that no state can follow it", () => {
    expect(messages("{a: [b]}")).toEqual([
      "step 't2' moves to 'a', which states.transitions does not allow: no state can follow 'b'",
    ]);
  });

  it("out of a state with moves lists them", () => {
    expect(messages("{a: [b], b: [c]}")).toEqual([
      "step 't2' moves to 'a', which states.transitions does not allow: from 'b' only c can follow",
    ]);
  });
});
