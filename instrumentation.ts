// Next.js start-up hook: runs once per server process, before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { startServer } = await import("./server/start");
  await startServer();
}
