import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// One scratch folder for the whole run: TMPDIR points into it for every test worker
// and every program a test spawns, and test/helpers/scratch.ts removes it at the end.
const scratch = (process.env.VESPER_TEST_SCRATCH ??= mkdtempSync(join(tmpdir(), "vesper-tests-")));

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    // End-to-end tests spawn the real programs; give a loaded 2-core CI machine room.
    testTimeout: 30_000,
    // Most files wait on the programs they spawn; two workers keep both cores busy.
    maxWorkers: 2,
    env: { TMPDIR: scratch },
    globalSetup: ["test/helpers/scratch.ts"],
  },
});
