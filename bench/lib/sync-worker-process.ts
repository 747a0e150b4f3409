// One worker process of bench/many-tenants.ts (workers > 1): its own pool on the bench's PostgreSQL, the app's
// environment with the bench's secrets, and the runs it is given, started through the in-process dispatcher as a
// worker starts the runs it receives. Reports its span's cost when asked; runs until the bench kills it.
// Started by `startSyncWorkers` (sync-workers.ts): node --import tsx bench/lib/sync-worker-process.ts <database url>
import { requestSync } from "@/server/jobs/dispatcher";
import { type EngineReport, enginePool, startEngineMeter } from "./engine-meter";
import type { FromWorker, ToWorker } from "./sync-workers";

const { db, statements } = enginePool(process.argv[2]!);
let peakRss = 0;
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 500);
let endSpan: (() => EngineReport) | undefined;
const send = (message: FromWorker) => process.send!(message);

process.on("message", async (message: ToWorker) => {
  if (message.kind === "report") return send({ kind: "report", report: { ...endSpan!(), peakRss } });
  // The span starts as the runs are asked for, as the single-process bench's does.
  endSpan = startEngineMeter(statements);
  const started = performance.now();
  await Promise.all(message.runs.map((run) => requestSync(db, { ...run, trigger: "manual", entities: ["customer"] })));
  send({ kind: "requested", seconds: (performance.now() - started) / 1000 });
});
// The bench ended without killing this process (it failed): nothing here is worth finishing.
process.on("disconnect", () => process.exit(0));
send({ kind: "ready" });
