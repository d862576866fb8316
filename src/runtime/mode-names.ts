// The five execution modes. Kept free of imports so `vesper --help` can list them cheaply.

export const MODES = ["reference_only", "shadow_direct", "canary_direct", "dual_verify", "direct_only"] as const;
export type Mode = (typeof MODES)[number];

export const MODE_SUMMARIES: Record<Mode, string> = {
  reference_only: "the reference runtime answers; the direct runtime does not run",
  shadow_direct:
    "the reference answers; the direct runtime runs after it on the same recorded effects and the two are compared",
  canary_direct:
    "a stable hash of the inputs sends a percentage of runs to the direct runtime, which falls back to the reference on failure",
  dual_verify: "both run on the same recorded effects and are compared before the reference answers",
  direct_only: "the direct runtime answers; a sample of runs is verified against the reference",
};
