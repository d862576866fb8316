// IR doc 4.4: a tensor value is nested lists in which every list at one depth has
// the same length. A number beside a list at the same depth is ragged whichever
// comes first: `[1, [2, 3]]` was read as a [2, 2] tensor holding three numbers
// (only `[[1], 2]` was refused), and `vesper run` ran a [4, 8] weight matrix given
// with 25 numbers. Samples are V501; an --input is a usage error (exit 2).
import { describe, expect, it } from "vitest";
import { sampleInputs } from "../../../src/runtime/prepared.js";
import type { Tensor } from "../../../src/values/values.js";
import { cli } from "../../helpers/cli.js";
import { node } from "../../helpers/runtimes.js";

const withSample = (value: string) =>
  node(
    `
node_id: ragged.tensor@1.0.0
type: function
inputs: {t: "tensor<float64, [?, ?]>"}
outputs: {success: {}}
flow: []
samples:
  one: {t: ${value}}
`,
    "ragged.vsp",
  );

const diagnostics = (value: string): string[] => {
  try {
    withSample(value);
    return [];
  } catch (err) {
    return ((err as { diagnostics?: { code: string; message: string }[] }).diagnostics ?? []).map(
      (d) => `${d.code} ${d.message}`,
    );
  }
};

const RAGGED =
  "V501 sample 'one': t: expected a tensor<float64, [?, ?]> written as nested lists of finite numbers of equal length";

describe("a tensor value with a number beside a list", () => {
  for (const value of ["[1, [2, 3]]", "[1, [2]]", "[[1], 2]", "[[1, 2], [3, [4]]]", "[[[1]], [2]]"]) {
    it(`is refused as ragged: ${value}`, () => {
      expect(diagnostics(value)).toEqual([RAGGED]);
    });
  }

  it("while even nested lists, empty ones included, are read with their shape", () => {
    for (const value of ["[[1], [2]]", "[[1, 2, 3]]", "[[], []]"]) expect(diagnostics(value)).toEqual([]);
    const t = sampleInputs(withSample("[[1, 2, 3], [4, 5, 6]]")).get("t") as Tensor;
    expect([t.shape, [...t.data]]).toEqual([
      [2, 3],
      [1, 2, 3, 4, 5, 6],
    ]);
  });

  it("given with --input, stops vesper run with exit 2 and the input's name", () => {
    const row = "[1, 1, 1, 1, 1, 1, 1, 1]";
    const r = cli("vesper", [
      "run",
      "examples/mlp_inference.vsp",
      "--no-record",
      "--input",
      `w1=[1, ${row}, ${row}, ${row}]`,
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "vesper: error: input 'w1' (tensor<float32, [4, 8]>): expected a tensor<float32, [4, 8]> written as nested lists of finite numbers of equal length\n",
    );
  });
});
