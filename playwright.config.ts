import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3200);
// localhost, not 127.0.0.1: next-auth redirects to localhost and the session cookie must match.
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "./e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Two specs at a time: each signs up its own person and tenant, and each tenant has its own sandbox, so no spec sees
  // another's data; the demo specs share the demo tenant, and only demo-setup changes it.
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    baseURL,
    browserName: "chromium",
    headless: true,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // Without the background-networking flags Chromium keeps dialling out, which this closed network refuses.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: `node_modules/.bin/next start -p ${port}`,
    url: `${baseURL}/login`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: "pipe",
    // The embedded default on a fresh in-memory database, so every run starts clean.
    // The sandbox Zoho's minute lasts 2 s, so a 250-customer sync finishes within a test.
    // Every spec signs up from this one address: the sign-up throttle (30 an hour) is raised for it.
    env: {
      PGLITE_DIR: "memory://",
      DATABASE_URL: "",
      NODE_ENV: "production",
      LEDGERLINK_SANDBOX_MINUTE_MS: "2000",
      LEDGERLINK_SIGN_UPS_PER_HOUR: "500",
      // Every spec's workspace has its own sandbox, all within minutes: room for them all.
      LEDGERLINK_SANDBOX_TENANTS: "100",
    },
  },
});
