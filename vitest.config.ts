import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Every core: vitest's default leaves one free, which on CI's two cores runs the files one by one.
    maxWorkers: availableParallelism(),
  },
});
