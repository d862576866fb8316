import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("help lists every verb", () => {
  it("vesper --help lists the toolchain's verbs", () => {
    const r = cli("vesper", ["--help"]);
    expect(r.status).toBe(0);
    for (const verb of [
      "validate",
      "compile",
      "run",
      "debug",
      "replay",
      "test",
      "traces",
      "mode",
      "bench",
      "metrics",
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${verb}\\b`, "m"));
    }
  });

  it("vesper validate --help documents the flags and exit status", () => {
    const r = cli("vesper", ["validate", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("--json");
    expect(r.stdout).toContain("Exit status: 0 when every file is valid, 2 when any is invalid.");
  });

  it("veyra --help lists its verbs, each built", () => {
    const r = cli("veyra", ["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}seeds\s+train a host network/m);
    expect(r.stdout).toMatch(/^ {2}tui\b.*one full-screen app/m);
    expect(r.stdout).toMatch(/^ {2}engine\s+the TensorFlow\.js execution engine/m);
    const engine = cli("veyra", ["engine", "--help"]);
    for (const verb of ["info", "bench"]) expect(engine.stdout).toMatch(new RegExp(`^  ${verb}\\b`, "m"));
    expect(engine.stdout).not.toContain("[not built yet]");
    const seeds = cli("veyra", ["seeds", "--help"]);
    for (const verb of ["run", "blueprints", "watch", "list", "show", "verify"]) {
      expect(seeds.stdout).toMatch(new RegExp(`^  ${verb}\\b`, "m"));
      expect(seeds.stdout).not.toMatch(new RegExp(`^  ${verb}\\b.*\\[not built yet\\]`, "m"));
    }
  });
});
