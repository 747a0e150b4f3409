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
    await resealAtStart();
  } catch (error) {
    console.error(`Ledgerlink cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

/** Secrets still in the first, unbound format are rewritten bound to their row, once, before requests need them. */
async function resealAtStart(): Promise<void> {
  const [{ getDb }, { env }, { resealLegacySecrets }] = await Promise.all([
    import("@/db/client"),
    import("./env"),
    import("./crypto/reseal-legacy"),
  ]);
  const { resealed, unreadable } = await resealLegacySecrets(await getDb(), env().encryptionKeys);
  if (resealed > 0) console.info(`Rewrote ${resealed} secret(s) from the first sealed format, bound to their row.`);
  if (unreadable > 0)
    console.warn(
      `${unreadable} secret(s) in the first sealed format need a key no longer configured; left as they are.`,
    );
}
