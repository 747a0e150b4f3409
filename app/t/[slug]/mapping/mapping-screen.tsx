"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import type { MappingKind } from "@/db/schema";
import { fieldError, formError, useTRPC } from "../../../_components/trpc";
import {
  Badge,
  Button,
  Card,
  EmptyState,
  Field,
  Input,
  Notice,
  PageHeader,
  Select,
  Table,
} from "../../../_components/ui";
import { useTime } from "../../../_components/zoned-time";
import { useTenant } from "../tenant-context";

const SCREENS: { kind: MappingKind; title: string; explains: string }[] = [
  {
    kind: "category_item",
    title: "Accounting categories",
    explains: "Each Splynx transaction category becomes this Zoho item on invoice and credit-note lines.",
  },
  {
    kind: "method_account",
    title: "Bank accounts",
    explains:
      "Payments of each Splynx method are deposited to this Zoho bank or cash account; the default covers the rest.",
  },
  { kind: "tax", title: "Tax rates", explains: "Each Splynx tax becomes this Zoho tax (or no tax) on document lines." },
  {
    kind: "method_mode",
    title: "Payment modes",
    explains:
      "Payments of each Splynx method are recorded in Zoho with this payment mode; the default covers the rest.",
  },
];

type Draft = Record<string, string>;

/**
 * One screen's rows. Its choices live in the page (`draft`), not here, so switching to another screen and back keeps
 * them; the screen reports whether they differ from what is saved.
 */
function ScreenEditor({
  kind,
  draft: kept,
  onDraft,
  onUnsaved,
}: {
  kind: MappingKind;
  draft: Draft | undefined;
  onDraft: (draft: Draft) => void;
  onUnsaved: (kind: MappingKind, unsaved: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenant = useTenant();
  const isAdmin = tenant.can("admin");
  const screen = useQuery(trpc.mapping.screen.queryOptions({ tenantSlug: tenant.slug, kind }));
  const saved: Draft = Object.fromEntries((screen.data?.rows ?? []).map((row) => [row.splynxId, row.current ?? ""]));
  const draft = kept ?? saved;
  const setDraft = (change: (current: Draft) => Draft) => onDraft(change(draft));
  const unsaved = (screen.data?.rows ?? []).some((row) => (draft[row.splynxId] ?? "") !== (row.current ?? ""));
  useEffect(() => onUnsaved(kind, unsaved), [kind, unsaved, onUnsaved]);
  const save = useMutation(
    trpc.mapping.save.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.mapping.screen.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.mapping.checklist.queryKey() });
      },
    }),
  );
  if (!screen.data) return <EmptyState>{screen.isLoading ? "Loading…" : screen.error?.message}</EmptyState>;
  const data = screen.data;
  if (data.rows.length === 0)
    return (
      <EmptyState>
        No mapping data yet: Splynx&apos;s records and the Zoho choices appear here once loaded.{" "}
        {isAdmin ? "Load them above." : "An admin can load them."}
      </EmptyState>
    );
  const draftUnmapped = data.rows.filter((row) => row.splynxId !== "*" && !draft[row.splynxId]).length;
  return (
    <>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm" data-testid="unmapped-count">
          <Badge tone={draftUnmapped === 0 ? "emerald" : "amber"}>{draftUnmapped} unmapped</Badge>
          {data.hasDefault && <span className="ml-2 text-slate-500">(the default covers unmapped methods)</span>}
        </p>
        {isAdmin && (
          <div className="flex gap-2">
            <Button
              variant="secondary"
              onClick={() =>
                setDraft((current) => ({
                  ...current,
                  ...Object.fromEntries(
                    data.rows
                      .filter((row) => row.suggestion && !current[row.splynxId])
                      .map((row) => [row.splynxId, row.suggestion!.value]),
                  ),
                }))
              }
            >
              Accept suggestions
            </Button>
            <Button
              disabled={!unsaved}
              busy={save.isPending}
              onClick={() =>
                save.mutate({
                  tenantSlug: tenant.slug,
                  kind,
                  entries: data.rows.map((row) => ({ splynxId: row.splynxId, zohoValue: draft[row.splynxId] || null })),
                })
              }
            >
              Save
            </Button>
          </div>
        )}
      </div>
      {formError(save.error) && <Notice>{formError(save.error)}</Notice>}
      {save.isSuccess && !unsaved && <Notice tone="success">Saved.</Notice>}
      <Table head={["Splynx", "Zoho Books", "Suggestion"]}>
        {data.rows.map((row) => (
          <tr key={row.splynxId}>
            <td className="px-4 py-2">
              <span className={row.splynxId === "*" ? "font-semibold" : ""}>{row.name}</span>
              {row.percentage !== undefined && <span className="ml-1 text-slate-500">({Number(row.percentage)}%)</span>}
              {row.used && <Badge tone="indigo">used</Badge>}
              {row.currentMissing && (
                <span className="mt-1 block text-xs text-red-700">
                  Its Zoho target no longer exists: choose another.
                </span>
              )}
            </td>
            <td className="px-4 py-2">
              <Select
                aria-label={`Zoho for ${row.name}`}
                value={draft[row.splynxId] ?? ""}
                disabled={!isAdmin}
                onChange={(event) => setDraft((current) => ({ ...current, [row.splynxId]: event.target.value }))}
              >
                <option value="">— not mapped —</option>
                {data.targets.map((target) => (
                  <option key={target.value} value={target.value}>
                    {target.label}
                  </option>
                ))}
              </Select>
            </td>
            <td className="px-4 py-2 text-slate-600">{row.suggestion ? row.suggestion.label : ""}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function ResetCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenant = useTenant();
  const [confirmation, setConfirmation] = useState("");
  const [forgetOrganization, setForgetOrganization] = useState(false);
  const [eraseLinks, setEraseLinks] = useState(false);
  const linked = useQuery(trpc.mapping.linkedRecords.queryOptions({ tenantSlug: tenant.slug }));
  const reset = useMutation(
    trpc.mapping.reset.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
  );
  const records = linked.data?.records ?? 0;
  const linksLine = records === 1 ? "1 record linked to Zoho" : `${records} records linked to Zoho`;
  return (
    <Card title="Reset accounting data" className="mt-8 border-red-200">
      <p className="mb-3 text-sm text-slate-700" data-testid="reset-explains">
        Erases every mapping and the loaded reference data
        {eraseLinks &&
          (records > 0 && linked.data?.description
            ? `, and every link: ${linked.data.description}; they sync again as new records (a record Zoho already holds is then held for review or paired, never created twice)`
            : ", and every link (no record is linked to Zoho yet)")}
        . Type RESET to confirm.
      </p>
      <form
        className="space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          reset.mutate({ tenantSlug: tenant.slug, confirmation, forgetOrganization, eraseLinks });
        }}
      >
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={forgetOrganization}
            onChange={(event) => setForgetOrganization(event.target.checked)}
          />
          Also forget the chosen Zoho organization (needed before switching to another one)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={eraseLinks} onChange={(event) => setEraseLinks(event.target.checked)} />
          Also erase all links ({linked.isLoading ? "counting…" : linksLine})
        </label>
        <div className="flex items-start gap-3">
          <div className="w-48">
            <Field label="Confirmation" error={fieldError(reset.error, "confirmation")}>
              <Input
                value={confirmation}
                onChange={(event) => setConfirmation(event.target.value)}
                placeholder="RESET"
              />
            </Field>
          </div>
          <Button
            type="submit"
            variant="danger"
            disabled={confirmation !== "RESET"}
            busy={reset.isPending}
            className="mt-6"
          >
            Reset
          </Button>
        </div>
        {formError(reset.error) && <Notice>{formError(reset.error)}</Notice>}
        {reset.isSuccess && (
          <Notice tone="success">
            Reset done: {reset.data.mappings} mappings erased
            {reset.variables.eraseLinks && `, ${reset.data.linksErased} links erased`}.
          </Notice>
        )}
      </form>
    </Card>
  );
}

export function MappingScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenant = useTenant();
  const search = useSearchParams();
  const kind = (SCREENS.find((screen) => screen.kind === search.get("screen"))?.kind ?? "category_item") as MappingKind;
  const current = useQuery(trpc.mapping.screen.queryOptions({ tenantSlug: tenant.slug, kind }));
  const load = useMutation(
    trpc.mapping.load.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
  );
  const base = `/t/${tenant.slug}/mapping`;
  const [drafts, setDrafts] = useState<Partial<Record<MappingKind, Draft>>>({});
  const [unsavedKinds, setUnsavedKinds] = useState<ReadonlySet<MappingKind>>(new Set());
  const markUnsaved = useCallback((screenKind: MappingKind, unsaved: boolean) => {
    setUnsavedKinds((current) => {
      if (current.has(screenKind) === unsaved) return current;
      const next = new Set(current);
      if (unsaved) next.add(screenKind);
      else next.delete(screenKind);
      return next;
    });
  }, []);
  // Leaving the page (or reloading it) would drop what is not saved: the browser asks first.
  useEffect(() => {
    if (unsavedKinds.size === 0) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [unsavedKinds]);
  const time = useTime();
  return (
    <>
      <PageHeader
        title="Data mapping"
        description={
          current.data?.loadedAt
            ? `Mapping data loaded ${time(current.data.loadedAt)}.`
            : "Load the reference data from Splynx and Zoho Books to begin."
        }
        actions={
          tenant.can("admin") && (
            <Button busy={load.isPending} onClick={() => load.mutate({ tenantSlug: tenant.slug })}>
              Load mapping data
            </Button>
          )
        }
      />
      {formError(load.error) && <Notice>{formError(load.error)}</Notice>}
      {load.data && (
        <Notice tone={load.data.vanished.length ? "error" : "success"}>
          Loaded {load.data.records} records.
          {load.data.vanished.length > 0 &&
            ` These mappings point at Zoho records that no longer exist: ${load.data.vanished.join(", ")}.`}
        </Notice>
      )}
      <nav aria-label="Mapping screens" className="my-4 flex gap-1 overflow-x-auto border-b border-slate-200">
        {SCREENS.map((screen) => (
          <Link
            key={screen.kind}
            href={`${base}?screen=${screen.kind}`}
            aria-current={screen.kind === kind ? "page" : undefined}
            className={`-mb-px shrink-0 whitespace-nowrap border-b-2 px-3 py-2 text-sm ${screen.kind === kind ? "border-indigo-600 font-medium text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {screen.title}
            {unsavedKinds.has(screen.kind) && <span className="ml-1 text-amber-700">(unsaved)</span>}
          </Link>
        ))}
      </nav>
      <p className="mb-3 text-sm text-slate-600">{SCREENS.find((screen) => screen.kind === kind)!.explains}</p>
      {unsavedKinds.size > 0 && (
        <Notice tone="info">
          Unsaved changes on{" "}
          {SCREENS.filter((screen) => unsavedKinds.has(screen.kind))
            .map((screen) => screen.title)
            .join(", ")}
          : they are kept while you switch screens; save each screen to keep them for good.
        </Notice>
      )}
      <ScreenEditor
        key={kind}
        kind={kind}
        draft={drafts[kind]}
        onDraft={(draft) => setDrafts((current) => ({ ...current, [kind]: draft }))}
        onUnsaved={markUnsaved}
      />
      {tenant.can("admin") && <ResetCard />}
    </>
  );
}
