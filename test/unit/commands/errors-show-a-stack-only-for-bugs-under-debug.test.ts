import { afterEach, describe, expect, it, vi } from "vitest";
import { EXIT, exitStatusFor } from "../../../commands/exit-codes.js";
import { createProgram, reportError, runProgram } from "../../../commands/program.js";
import { BackendStartError } from "../../../src/engine/backend-choice.js";
import { CodegenError } from "../../../src/runtime/direct/js-literal.js";
import { RuntimeFault } from "../../../src/runtime/faults.js";
import { ERROR_CODES, ERROR_KINDS, type ErrorCode } from "../../../src/values/error-codes.js";
import { UsageError, VesperError } from "../../../src/values/errors.js";

// The one place that maps an error reaching the top of a program to what the user
// sees and the exit status. Errors no CLI path can provoke on purpose (a runtime
// fault thrown out of a command, a bug) are thrown here by a tiny commander program
// run through the real runProgram.

const STACK = /\n\s+at /;

describe("exitStatusFor", () => {
  it("maps each kind to its documented status", () => {
    expect(Object.fromEntries(ERROR_KINDS.map((k) => [k, exitStatusFor(k)]))).toEqual({
      usage: 2,
      input: 2,
      node: 2,
      store: 2,
      runtime: 3,
      environment: 1,
      bug: 1,
    });
  });

  it("every registered code has a kind with an exit status", () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      expect([EXIT.USAGE, EXIT.RUNTIME, EXIT.FAILURE]).toContain(exitStatusFor(new VesperError(code, "x").kind));
    }
  });
});

describe("reportError", () => {
  const report = (err: unknown, debug: boolean) => {
    let text = "";
    const status = reportError("tiny", err, { debug, write: (t) => (text += t) });
    return { status, text };
  };

  it("a reported VesperError is its message alone, with or without --debug", () => {
    for (const debug of [false, true]) {
      expect(report(new UsageError("--seed must be a whole number"), debug)).toEqual({
        status: 2,
        text: "tiny: error: --seed must be a whole number\n",
      });
      expect(report(new RuntimeFault("R207", "the replay departed"), debug)).toEqual({
        status: 3,
        text: "tiny: error: the replay departed\n",
      });
    }
  });

  it("a bug or a plain Error is an internal error: exit 1, the stack only with --debug", () => {
    for (const err of [new CodegenError("unsafe identifier"), new TypeError("x is undefined")]) {
      const quiet = report(err, false);
      expect(quiet.status).toBe(1);
      expect(quiet.text).toBe(
        `tiny: internal error: ${err.message}\n(rerun with --debug for the stack trace, and please report it)\n`,
      );
      const loud = report(err, true);
      expect(loud.status).toBe(1);
      expect(loud.text).toMatch(new RegExp(`^tiny: internal error: ${err.message}\n${err.name}: `));
      expect(loud.text).toMatch(STACK);
    }
  });

  it("something thrown that is not an Error is reported too", () => {
    expect(report("a string", false)).toMatchObject({
      status: 1,
      text: expect.stringMatching(/^tiny: internal error: a string\n/),
    });
  });
});

describe("runProgram", () => {
  let written = "";
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
    written = "";
  });

  function tiny() {
    const program = createProgram("tiny", "throws what it is told to");
    const throwing = (err: unknown) => () => {
      throw err;
    };
    program.command("usage").action(throwing(new UsageError("--x must be one of a, b, not 'c'")));
    program.command("input").action(throwing(new VesperError("I100", "input 'amount' (decimal): got 'lots'")));
    program.command("node").action(throwing(new VesperError("N100", "the node is invalid")));
    program.command("store").action(throwing(new VesperError("S100", "not a usable trace store")));
    program.command("fault").action(throwing(new RuntimeFault("R202", "the tool call failed")));
    program.command("env").action(throwing(new BackendStartError("webgpu", "--backend", "not installed")));
    program.command("bug").action(throwing(new CodegenError("unsafe identifier in generated code")));
    program.command("crash").action(async () => {
      await Promise.resolve();
      throw new RangeError("index out of range");
    });
    return program;
  }

  async function run(...args: string[]) {
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written += String(chunk);
      return true;
    });
    await runProgram(tiny(), ["node", "tiny", ...args]);
    vi.restoreAllMocks();
    return { status: process.exitCode, stderr: written };
  }

  it.each([
    ["usage", 2, "tiny: error: --x must be one of a, b, not 'c'\n"],
    ["input", 2, "tiny: error: input 'amount' (decimal): got 'lots'\n"],
    ["node", 2, "tiny: error: the node is invalid\n"],
    ["store", 2, "tiny: error: not a usable trace store\n"],
    ["fault", 3, "tiny: error: the tool call failed\n"],
    ["env", 1, "tiny: error: the webgpu backend (named by --backend) cannot start: not installed\n"],
  ])("a %s error exits %i with its message and no stack, even with --debug", async (verb, status, message) => {
    expect(await run(verb)).toEqual({ status, stderr: message });
    written = "";
    expect(await run("--debug", verb)).toEqual({ status, stderr: message });
  });

  it("a bug exits 1 and shows its stack only with --debug", async () => {
    for (const verb of ["bug", "crash"]) {
      const quiet = await run(verb);
      expect(quiet.status).toBe(1);
      expect(quiet.stderr).toMatch(/^tiny: internal error: .+\n\(rerun with --debug for the stack trace/);
      expect(quiet.stderr).not.toMatch(STACK);
      written = "";
      const loud = await run("--debug", verb);
      expect(loud.status).toBe(1);
      expect(loud.stderr).toMatch(/^tiny: internal error: /);
      expect(loud.stderr).toMatch(STACK);
      written = "";
    }
  });

  it("commander's own usage errors exit 2; help exits 0", async () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    expect((await run("nope")).status).toBe(2);
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    expect((await run("--help")).status).toBe(0);
  });
});
