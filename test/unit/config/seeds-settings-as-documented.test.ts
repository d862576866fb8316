import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultSeedsConfig, loadSeedsConfig } from "../../../src/config/seeds-config.js";
import { ROOT } from "../../helpers/cli.js";

// docs/seeds.md "Settings", written from the doc: the example files hold every key
// with the defaults; spirals differs from MNIST only in the five settings the doc
// names; a flag beats VEYRA_SEEDS_*, which beats the file, which beats the default;
// unknown keys (a camelCase spelling of a snake_case key included) and bad values are
// errors naming file:line:col or the variable, showing the value as given.

const noEnv = {} as NodeJS.ProcessEnv;
const plain = (c: ReturnType<typeof loadSeedsConfig>) => {
  const { origins: _, ...rest } = c;
  return rest;
};
const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), "vesper-seeds-config-")), "veyra.config.yaml");
  writeFileSync(path, text);
  return path;
};

describe("seeds settings as docs/seeds.md describes them", () => {
  it("the example files write out every key with the defaults", () => {
    const cwd = mkdtempSync(join(tmpdir(), "vesper-seeds-none-"));
    for (const [name, dataset] of [
      ["mnist-default.yaml", "mnist"],
      ["spirals-quick.yaml", "spirals"],
    ] as const) {
      const c = loadSeedsConfig({}, join(ROOT, "examples/seeds", name), cwd, noEnv);
      expect(plain(c)).toEqual(defaultSeedsConfig(dataset));
      expect(Object.keys(c.origins).sort()).toEqual(
        Object.entries(defaultSeedsConfig(dataset))
          .flatMap(([k, v]) =>
            v !== null && typeof v === "object" && !Array.isArray(v) ? Object.keys(v).map((i) => `${k}.${i}`) : [k],
          )
          .sort(),
      );
    }
  });

  it("spirals differs from MNIST in exactly epochs, batch_size, learning_rate, seed_learning_rate and host_hidden", () => {
    const m = defaultSeedsConfig("mnist") as unknown as Record<string, unknown>;
    const s = defaultSeedsConfig("spirals") as unknown as Record<string, unknown>;
    const differ = Object.keys(m).filter((k) => JSON.stringify(m[k]) !== JSON.stringify(s[k]));
    expect(differ.sort()).toEqual(["batchSize", "dataset", "epochs", "hostHidden", "learningRate", "seedLearningRate"]);
    expect(s).toMatchObject({ epochs: 18, batchSize: 16, learningRate: 0.2, seedLearningRate: 0.3, hostHidden: [2] });
  });

  it("a flag beats VEYRA_SEEDS_*, which beats the file, which beats the default", () => {
    const f = file("seeds:\n  dataset: spirals\n  epochs: 7\n  seed: 3\n");
    const cwd = ROOT;
    expect(loadSeedsConfig({}, f, cwd, noEnv)).toMatchObject({ dataset: "spirals", epochs: 7, seed: 3 });
    const env = { VEYRA_SEEDS_EPOCHS: "5", VEYRA_SEEDS_SEED: "9" } as NodeJS.ProcessEnv;
    const c = loadSeedsConfig({ seed: 11 }, f, cwd, env);
    expect(c).toMatchObject({ epochs: 5, seed: 11, batchSize: 16 });
    expect(c.origins).toMatchObject({ epochs: "VEYRA_SEEDS_EPOCHS", seed: "--seed", dataset: `${f}:2:12` });
  });

  it("a camelCase spelling of a key is an unknown key, not a second name for it", () => {
    const f = file("seeds:\n  batch_size: 8\n  batchSize: 32\n");
    expect(() => loadSeedsConfig({}, f, ROOT, noEnv)).toThrow(`${f}:3:3: unknown seeds setting 'batchSize'`);
    const g = file("seeds:\n  gates:\n    g4MaxDrop: 0.5\n");
    expect(() => loadSeedsConfig({}, g, ROOT, noEnv)).toThrow(`${g}:3:5: unknown seeds setting 'gates.g4MaxDrop'`);
  });

  it("a VEYRA_SEEDS_* number is digits only, like the flag, and a bad one is shown as given", () => {
    for (const raw of ["abc", "0x2", "1e1", "2.0", "-1"])
      expect(() => loadSeedsConfig({}, undefined, ROOT, { VEYRA_SEEDS_EPOCHS: raw } as NodeJS.ProcessEnv)).toThrow(
        expect.objectContaining({
          code: "U101",
          message: expect.stringMatching(/^VEYRA_SEEDS_EPOCHS: 'epochs' must be a whole number from 1 to 10000 \(got /),
        }),
      );
    expect(() => loadSeedsConfig({}, undefined, ROOT, { VEYRA_SEEDS_SEED: "abc" } as NodeJS.ProcessEnv)).toThrow(
      `VEYRA_SEEDS_SEED: 'seed' must be a whole number from 0 to 4294967295 (got "abc")`,
    );
    expect(loadSeedsConfig({}, undefined, ROOT, { VEYRA_SEEDS_EPOCHS: " 12 " } as NodeJS.ProcessEnv).epochs).toBe(12);
  });

  it("a NaN or infinite number in the file is shown as such, not as null", () => {
    const f = file("seeds:\n  learning_rate: .nan\n  gates:\n    g1_max_grad_norm: .inf\n");
    expect(() => loadSeedsConfig({}, f, ROOT, noEnv)).toThrow(
      `${f}:2:18: 'learning_rate' must be a number from 0 (got NaN)`,
    );
  });
});
