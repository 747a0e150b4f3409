import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startInProcessTicker } from "./ticker";

const HOUR = 60 * 60_000;

describe("startInProcessTicker", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("runs the job every interval, once however often it is started", async () => {
    const work = vi.fn(async () => {});
    startInProcessTicker("every hour", HOUR, work);
    startInProcessTicker("every hour", HOUR, work);
    await vi.advanceTimersByTimeAsync(HOUR - 1);
    expect(work).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(work).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(work).toHaveBeenCalledTimes(2);
  });

  it("logs a failed tick under the job's name and runs the next one as planned", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const failure = new Error("database gone");
    const work = vi.fn().mockRejectedValueOnce(failure).mockResolvedValue(undefined);
    startInProcessTicker("Flaky job", HOUR, work);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(logged).toHaveBeenCalledWith("Flaky job failed:", failure);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(work).toHaveBeenCalledTimes(2);
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it("leaves the job to Inngest's cron when an Inngest server is configured", async () => {
    vi.stubEnv("INNGEST_BASE_URL", "http://inngest.internal:8288");
    const work = vi.fn(async () => {});
    startInProcessTicker("Inngest's job", HOUR, work);
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(work).not.toHaveBeenCalled();
  });
});
