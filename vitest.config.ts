import { tmpdir } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The end-to-end tests run dist/: rebuilt first when a source is newer.
    globalSetup: ["src/test-support/freshBuild.ts"],
    // Caches and imported data of the tests stay out of the user's directories.
    env: { PREDNAS_CACHE_DIR: `${tmpdir()}/prednas-test-cache`, XDG_DATA_HOME: `${tmpdir()}/prednas-test-data` },
  },
});
