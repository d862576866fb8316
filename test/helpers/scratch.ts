import { rmSync } from "node:fs";

// vitest's global setup: every temporary folder the tests make (mkdtemp under
// os.tmpdir(), in test files and in the programs they spawn) lands in one scratch
// folder that vitest.config.ts creates and points TMPDIR at; it is removed when
// the run ends, so a test run leaves nothing behind, whichever test forgot to clean up.

export default function setup(): () => void {
  return () => {
    const scratch = process.env.VESPER_TEST_SCRATCH;
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
}
