import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests spawn the real programs; give a loaded 2-core CI machine room.
    testTimeout: 30_000,
  },
});
