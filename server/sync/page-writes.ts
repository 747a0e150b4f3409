// A step's writes that need no Zoho call, batched: see PageWrites.
import { addEntries, writeLinksWithEntries, type EntryInput, type LinkAndEntry } from "@/db/queries/sync";
import type { SyncContext } from "./entity";
import type { DeferWrite } from "./record";

/**
 * The links and log entries of a step's records that spent no Zoho call (skipped, not prepared, waiting to retry),
 * written together once its lanes are done: a crash before loses nothing Zoho holds, and the next run decides them
 * again. A first run over a book the settings mostly skip writes a statement a step, not one a record.
 */
export class PageWrites {
  private readonly links: LinkAndEntry[] = [];
  private readonly entries: EntryInput[] = [];

  readonly defer: DeferWrite = (link, entry) => {
    if (link) this.links.push({ link, entry });
    else if (entry) this.entries.push(entry);
  };

  async write(context: SyncContext) {
    await writeLinksWithEntries(context.db, { runId: context.runId, writes: this.links.splice(0) });
    await addEntries(context.db, { tenantId: context.tenantId, runId: context.runId, entries: this.entries.splice(0) });
  }
}
