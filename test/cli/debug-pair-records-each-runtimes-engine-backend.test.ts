import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// Every trace records the engine backend its runtime computed on (float results differ
// in the low bits between backends, so a replay elsewhere must know). `vesper run`
// records "reference-float64" for the reference and the direct engine's backend ("js",
// the float32 loops) for the direct runtime; a debug session's pair should do the same.

const store = join(mkdtempSync(join(tmpdir(), "vesper-debug-backend-")), "store.db");
const vesper = (args: string[]) => cli("vesper", [...args, "--store", store]);

describe("a comparative debug session's recorded pair", () => {
  let traces: { runtime: string; engine_backend: string }[];
  beforeAll(() => {
    const r = vesper(["debug", "examples/mlp_inference.vsp", "--comparative", "--json", "--commands", "continue"]);
    expect(r.status, r.stderr).toBe(0);
    traces = vesper(["traces", "list", "--json"])
      .stdout.trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(traces).toHaveLength(2);
  });

  it("records the reference runtime's backend for the reference trace", () => {
    expect(traces.find((t) => t.runtime === "reference")!.engine_backend).toBe("reference-float64");
  });

  it("records the direct engine's backend for the direct trace, as vesper run does", () => {
    expect(traces.find((t) => t.runtime === "direct")!.engine_backend).toBe("js");
  });
});
