import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// Names a user types into a session — debugger and replay commands, breakpoint
// expressions — are looked up among the session's own names only: Object.prototype's
// members ('constructor', 'toString', '__proto__', …) are unknown commands or
// functions, reported as mistakes, never taken for aliases or built-ins.

const INHERITED = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"];

describe("session commands and breakpoints resolve own names only", () => {
  it("the debugger calls each inherited name an unknown command, and the script is bad usage (exit 2)", () => {
    const r = cli("vesper", ["debug", "examples/payment.vsp", "--no-record", "--commands", INHERITED.join("; ")]);
    expect(r.status).toBe(2);
    for (const name of INHERITED)
      expect(r.stderr).toContain(`error: unknown command '${name}' (help lists the commands)`);
  });

  it("a breakpoint expression calling an inherited name is refused before anything runs", () => {
    for (const name of INHERITED.filter((n) => n !== "__proto__")) {
      const r = cli("vesper", ["debug", "examples/payment.vsp", "--no-record", "--break-on", `${name}(amount) > 1`]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`unknown function '${name}'`);
    }
  });
});
