import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

// Start-up (issue #15): a recorded `vesper run` of an example loads only the Node
// modules it uses. node:net and node:dns/promises serve the network capability
// checks (src/tools/address.ts, resolved-denies.ts) and load when a host is first
// read; loading them at every start cost milliseconds. The program runs as bin/
// starts it, with standard output and error on files, not pipes: a pipe is a
// socket, which loads node:net for the program's own output.

const scratch = mkdtempSync(join(tmpdir(), "vesper-run-modules-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The built-in modules loaded by the end of `vesper ARGS`, and its exit status. */
function builtinsLoadedBy(args: string[]): { status: number | null; builtins: Set<string> } {
  const list = join(scratch, `modules-${args.length}-${Date.now()}.txt`);
  // At exit, the process writes the list of the modules it has loaded into `list`.
  const hook = `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join("\\n")));`;
  const r = spawnSync(
    process.execPath,
    ["-e", `${hook} process.argv.splice(1, 0, "vesper"); require("./bin/vesper.js");`, "--", ...args],
    {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "ignore"],
    },
  );
  const builtins = new Set(
    readFileSync(list, "utf8")
      .split("\n")
      .filter((m) => m.startsWith("NativeModule "))
      .map((m) => m.slice("NativeModule ".length)),
  );
  return { status: r.status, builtins };
}

describe("vesper run's start-up", () => {
  it("records a run of an example without loading node:net or node:dns", () => {
    const { status, builtins } = builtinsLoadedBy(["run", "examples/payment.vsp", "--store", join(scratch, "t.db")]);
    expect(status).toBe(0);
    // The run did happen: the store and the hashes need node:crypto.
    expect(builtins.has("crypto")).toBe(true);
    expect([...builtins].filter((m) => m === "net" || m.startsWith("dns") || m === "internal/blocklist")).toEqual([]);
  });
});
