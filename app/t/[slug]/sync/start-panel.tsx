"use client";
// The Sync page's start buttons: one per entity (the payments import as new or all payments), and everything in
// order; each refuses before its setup exists and says why, with a link to where it is fixed.
import Link from "next/link";
import type { SyncEntity } from "@/db/schema";
import { ENTITY_NAMES } from "../../../_components/entities";
import { Button } from "../../../_components/ui";

type Blocker = { reason: string; fix: string; path: string };
export type StartRequest = { entities: SyncEntity[]; paymentsImportMode?: "new" | "all" };

type Props = {
  tenantSlug: string;
  entities: SyncEntity[];
  blockers: Partial<Record<SyncEntity, Blocker>>;
  /** A run is going, or a start is on its way: nothing else starts meanwhile. */
  busy: boolean;
  startingEverything: boolean;
  onStart: (request: StartRequest) => void;
};

/** The setup each entity still needs, once per distinct blocker, naming the entities it holds back. */
function BlockerList({ tenantSlug, entities, blockers }: Pick<Props, "tenantSlug" | "entities" | "blockers">) {
  const distinct = new Map<string, { blocker: Blocker; entities: SyncEntity[] }>();
  for (const entity of entities) {
    const blocker = blockers[entity];
    if (!blocker) continue;
    const entry = distinct.get(blocker.reason) ?? { blocker, entities: [] };
    entry.entities.push(entity);
    distinct.set(blocker.reason, entry);
  }
  if (distinct.size === 0) return null;
  return (
    <ul className="space-y-1 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      {[...distinct.values()].map(({ blocker, entities: held }) => (
        <li key={blocker.reason} data-testid="sync-blocker">
          <span className="font-medium">
            Can&apos;t sync {held.map((entity) => ENTITY_NAMES[entity].plural).join(", ")} yet:
          </span>{" "}
          {blocker.reason}{" "}
          <Link href={`/t/${tenantSlug}/${blocker.path}`} className="font-medium underline">
            {blocker.fix}
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function StartPanel({ tenantSlug, entities, blockers, busy, startingEverything, onStart }: Props) {
  const reasonFor = (entity: SyncEntity) => blockers[entity]?.reason;
  const firstBlocked = entities.find((entity) => blockers[entity]);
  const button = (entity: SyncEntity, label: string, request: StartRequest) => (
    <Button
      key={label}
      variant="secondary"
      disabled={busy || Boolean(blockers[entity])}
      title={reasonFor(entity)}
      onClick={() => onStart(request)}
    >
      {label}
    </Button>
  );
  return (
    <div className="space-y-3">
      <BlockerList tenantSlug={tenantSlug} entities={entities} blockers={blockers} />
      <div className="flex flex-wrap gap-2">
        {entities.flatMap((entity) =>
          entity === "payment_import"
            ? [
                button(entity, "Import new payments", { entities: [entity], paymentsImportMode: "new" }),
                button(entity, "Import all payments", { entities: [entity], paymentsImportMode: "all" }),
              ]
            : [button(entity, `Sync ${ENTITY_NAMES[entity].plural}`, { entities: [entity] })],
        )}
      </div>
      {entities.includes("payment_import") && (
        <p className="text-xs text-slate-500">
          New payments: those Zoho changed since the last import. All payments: every one dated on or after the import
          date in Settings (payments already imported are skipped).
        </p>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <Button
          busy={startingEverything}
          disabled={busy || entities.length === 0 || Boolean(firstBlocked)}
          title={firstBlocked && reasonFor(firstBlocked)}
          onClick={() => onStart({ entities })}
        >
          Everything in order
        </Button>
        {entities.length > 0 && (
          <span className="text-xs text-slate-500">
            {entities.map((entity) => ENTITY_NAMES[entity].plural).join(" → ")}
          </span>
        )}
      </div>
    </div>
  );
}
