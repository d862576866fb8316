// Asking for help on a verb that does not exist (`vesper nosuch --help`, `vesper help
// nosuch`, `veyra seeds nosuch -h`) printed the program's help and exited 0, as if the
// verb existed: a typo went unnoticed in scripts. It is the same usage error as the verb
// without the help request: the unknown command named, the closest verb suggested, exit 2,
// nothing on stdout. Help on verbs that exist is unchanged.
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("help for a verb that does not exist", () => {
  it.each([
    ["vesper", ["rnu", "--help"], "vesper: error: unknown command 'rnu'", "run"],
    ["vesper", ["help", "rnu"], "vesper: error: unknown command 'rnu'", "run"],
    ["vesper", ["traces", "lst", "-h"], "vesper traces: error: unknown command 'lst'", "list"],
    ["veyra", ["seeds", "rnu", "--help"], "veyra seeds: error: unknown command 'rnu'", "run"],
  ])("%s %j is exit 2 naming the command and suggesting the closest", (program, args, message, closest) => {
    const r = cli(program as "vesper" | "veyra", args as string[]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(`Did you mean ${closest}?`);
  });

  it.each([
    ["vesper", ["run", "--help"], "Usage: vesper run"],
    ["vesper", ["help", "run"], "Usage: vesper run"],
    ["vesper", ["traces", "list", "-h"], "Usage: vesper traces list"],
    ["veyra", ["seeds", "run", "--help"], "Usage: veyra seeds run"],
    ["vesper", ["--help"], "Usage: vesper"],
  ])("%s %j still shows the help, exit 0", (program, args, usage) => {
    const r = cli(program as "vesper" | "veyra", args as string[]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(usage);
  });
});
