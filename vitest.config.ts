import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ["{server,db,app}/**/*.test.ts"],
    environment: "node",
    // The app's own handle (env(), sandbox) stays in memory; integration tests open their databases explicitly.
    env: { PGLITE_DIR: "memory://" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
