// The server process's start: a process that cannot start (a missing secret, no database) exits, so a deploy sees it.
import { recordPeerAddresses } from "@/server/auth/peer-address";

export async function startServer(): Promise<void> {
  recordPeerAddresses();
  try {
    const [{ bootstrap }, { getDb }, { sweepLapsedRuns }] = await Promise.all([
      import("./bootstrap"),
      import("@/db/client"),
      import("@/db/queries/runs"),
    ]);
    await bootstrap();
    // Runs whose worker died with an earlier process would otherwise wait for the first scheduler tick to end.
    const swept = await sweepLapsedRuns(await getDb());
    if (swept.length > 0) console.warn(`Ended ${swept.length} sync run(s) whose worker was lost.`);
  } catch (error) {
    console.error(`Ledgerlink cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
