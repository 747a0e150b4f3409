// Next.js start-up hook: runs once per server process, before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { bootstrap } = await import("./server/bootstrap");
  await bootstrap();
  // Runs whose worker died with an earlier process would otherwise wait for the first scheduler tick to end.
  const [{ getDb }, { sweepLapsedRuns }] = await Promise.all([import("./db/client"), import("./db/queries/runs")]);
  const swept = await sweepLapsedRuns(await getDb());
  if (swept.length > 0) console.warn(`Ended ${swept.length} sync run(s) whose worker was lost.`);
}
