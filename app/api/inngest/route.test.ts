// The Inngest endpoint in production without Inngest's keys: a clear 503 with its reason, not a 500.
import { afterEach, describe, expect, it, vi } from "vitest";
import { GET, POST, PUT } from "./route";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("/api/inngest", () => {
  it("answers 503 with the reason in production when no signing key is set, to every method", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("INNGEST_SIGNING_KEY", "");
    for (const [method, handler] of [
      ["GET", GET],
      ["POST", POST],
      ["PUT", PUT],
    ] as const) {
      const response = await handler(new Request("http://localhost/api/inngest", { method }), {});
      expect(response.status, method).toBe(503);
      expect(await response.json()).toEqual({
        error: "inngest_not_configured",
        message:
          "Inngest is not configured on this server (INNGEST_SIGNING_KEY is not set); syncs run in this process.",
      });
    }
  });

  it("hands requests to Inngest where it can serve them", async () => {
    const response = await GET(new Request("http://localhost/api/inngest"), {});
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ mode: "dev" });
  });
});
