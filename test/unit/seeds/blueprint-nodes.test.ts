import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BLUEPRINTS } from "../../../src/seeds/blueprints.js";
import { decodeState, encodeState } from "../../../src/seeds/checkpoint.js";
import { loadBlueprint } from "../../../src/workbench/seed-blueprints.js";
import { cli } from "../../helpers/cli.js";

// Blueprints are Vesper nodes: each bundled one validates and runs comparatively like
// any node; a tensor step using something the seed kernels cannot lower is refused
// with its file:line:col. Checkpoints restore bit for bit.

const dir = mkdtempSync(join(tmpdir(), "blueprint-nodes-"));

describe("blueprint nodes", () => {
  it("pass vesper validate", () => {
    const files = BLUEPRINTS.map((b) => `examples/blueprints/${b.name}.vsp`);
    const r = cli("vesper", ["validate", ...files]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("4 files valid, 0 invalid");
  });

  it("run under vesper debug --comparative with the runtimes agreeing", () => {
    const r = cli("vesper", ["debug", "--comparative", "examples/blueprints/gated_unit.vsp", "--sample", "two_rows"]);
    expect(r.stdout).toContain("the runtimes agree at every step");
  });

  it("refuses a tensor step the seed kernels cannot lower, naming file:line:col", () => {
    const file = join(dir, "softmax_adapter.vsp");
    writeFileSync(
      file,
      [
        "node_id: test.softmax_adapter@1.0.0",
        "type: function",
        "intent: a blueprint using softmax, which the seed kernels do not lower",
        "inputs:",
        "  x: tensor<float32, [n, d_in]>",
        "  down: tensor<float32, [d_in, h]>",
        "  up: tensor<float32, [h, d_out]>",
        "outputs:",
        "  success:",
        "    y: tensor<float32, [n, d_out]>",
        "flow:",
        "  - step: forward",
        "    op: tensor",
        "    set:",
        '      y: "matmul(softmax(matmul(x, down)), up)"',
        "  - step: done",
        "    op: return",
        "    output: success",
        "    values:",
        '      y: "y"',
        "",
      ].join("\n"),
    );
    const spec = BLUEPRINTS.find((b) => b.name === "bottleneck_adapter")!;
    expect(() => loadBlueprint(spec, file)).toThrow(
      `${file}:15:18: the function softmax() cannot be lowered onto the engine for a seed`,
    );
  });
});

describe("checkpoint bytes", () => {
  it("decode to the same weights bit for bit and encode back to the same bytes", () => {
    const weights = Float32Array.from([0.1, -0, Number.NaN, 3.4028234663852886e38, 1e-45]);
    const bytes = encodeState({ epoch: 3, w: [weights], seq: 17 });
    const back = decodeState<{ epoch: number; w: Float32Array[]; seq: number }>(bytes);
    expect(new Uint8Array(back.w[0]!.buffer)).toEqual(new Uint8Array(weights.buffer));
    expect(encodeState(back)).toEqual(bytes);
  });
});
