import { describe, expect, it } from "vitest";
import { compileClosures } from "../../../../src/runtime/direct/closures.js";
import { Float32Engine } from "../../../../src/engine/float32-engine.js";
import { instr, lowered, machine } from "../../../helpers/direct-passes.js";

// The validator rejects a node whose flow could make a transition the state machine
// does not list, so the runtime's own check (R204) only meets a state set some other
// way (a restored snapshot, a debugger). The direct runtime decides it from the
// states each transition step may leave, worked out once per node (machine.ts,
// ContractFns.from): a listed transition moves the state, any other fails with the
// reference's message, and a node that lists no transitions allows every move.

const engine = new Float32Engine();
const flow = `
- step: open_it
  op: transition
  to: open
- step: close_it
  op: transition
  to: closed
- step: done
  op: return
  output: success
  values:
    y: "x"`;

function setUp(states: string) {
  const { p, L } = lowered({ states, flow });
  const m = machine(p, L, compileClosures(L, engine), { x: 1n });
  return { m, L };
}

describe("transition steps on the direct runtime", () => {
  it("move along listed transitions and fail with R204 on any other, naming both states and the step", () => {
    const { m, L } = setUp(`
      initial: new
      states: [new, open, closed]
      final: [closed]
      transitions:
        new: [open]
        open: [closed]`);
    const close = instr(L, "close_it").pc;
    expect(() => m.go(close)).toThrow(
      expect.objectContaining({
        code: "R204",
        message: "illegal transition from 'new' to 'closed' at step 'close_it'",
      }),
    );
    expect(m.state).toBe("new");
    m.go(instr(L, "open_it").pc);
    m.go(close);
    expect(m.state).toBe("closed");
    expect(() => m.go(close)).toThrow(expect.objectContaining({ code: "R204" }));
  });

  it("allow any move when the node lists no transitions", () => {
    const { m, L } = setUp(`
      initial: new
      states: [new, open, closed]
      final: [closed]`);
    m.go(instr(L, "close_it").pc);
    expect(m.state).toBe("closed");
  });
});
