import { describe, expect, it } from "vitest";
import { controllerTarget, demoted, recommendedMode } from "../../../src/verify/recommend.js";

describe("confidence → recommended mode", () => {
  it.each([
    [0, "reference_only"],
    [0.9499999999, "reference_only"],
    [0.95, "canary_direct"],
    [0.998999, "canary_direct"],
    [0.999, "dual_verify"],
    [0.99989999, "dual_verify"],
    [0.9999, "direct_only"],
    [1, "direct_only"],
  ] as const)("%f → %s", (c, mode) => {
    expect(recommendedMode(c)).toBe(mode);
  });

  it("the controller shadows instead of idling below the canary threshold", () => {
    expect(controllerTarget(0.5)).toBe("shadow_direct");
    expect(controllerTarget(0.96)).toBe("canary_direct");
  });

  it("a rollback moves one place down the ladder and stops at reference_only", () => {
    expect(demoted("direct_only")).toBe("dual_verify");
    expect(demoted("dual_verify")).toBe("canary_direct");
    expect(demoted("canary_direct")).toBe("shadow_direct");
    expect(demoted("shadow_direct")).toBe("reference_only");
    expect(demoted("reference_only")).toBe("reference_only");
  });
});
