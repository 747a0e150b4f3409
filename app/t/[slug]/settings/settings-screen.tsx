"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState, type ReactNode } from "react";
import { paymentModeName } from "@/server/mapping/screens";
import { NAME_PLACEHOLDERS, type Settings } from "@/server/sync/settings";
import { fieldError, formError, useTRPC } from "../../../_components/trpc";
import { Button, Card, EmptyState, Field, Input, Notice, PageHeader, Select } from "../../../_components/ui";
import { TimeZonePicker } from "../../../_components/time-zone-picker";
import { useTenant } from "../tenant-context";

type Option = { value: string; label: string };

const modeLines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

function Check({
  label,
  hint,
  checked,
  onChange,
  disabled,
}: {
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}) {
  const hintId = useId();
  return (
    <div className="text-sm">
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-describedby={hint ? hintId : undefined}
          onChange={(event) => onChange(event.target.checked)}
        />
        {label}
      </label>
      {hint && (
        <span id={hintId} className="ml-6 block text-xs text-slate-500">
          {hint}
        </span>
      )}
    </div>
  );
}

function Choices({
  legend,
  options,
  chosen,
  onChange,
  disabled,
  empty,
}: {
  legend: string;
  options: Option[];
  chosen: string[];
  onChange: (chosen: string[]) => void;
  disabled: boolean;
  empty: string;
}) {
  return (
    <fieldset className="text-sm">
      <legend className="mb-1 font-medium text-slate-700">{legend}</legend>
      {options.length === 0 ? (
        <p className="text-xs text-slate-500">{empty}</p>
      ) : (
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {options.map((option) => (
            <Check
              key={option.value}
              label={option.label}
              disabled={disabled}
              checked={chosen.includes(option.value)}
              onChange={(on) =>
                onChange(on ? [...chosen, option.value] : chosen.filter((value) => value !== option.value))
              }
            />
          ))}
        </div>
      )}
    </fieldset>
  );
}

export function SettingsScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const tenant = useTenant();
  const editable = tenant.can("admin");
  const loaded = useQuery(trpc.settings.get.queryOptions({ tenantSlug: tenant.slug }));
  const [draft, setDraft] = useState<Settings | null>(null);
  const [modesText, setModesText] = useState("");
  useEffect(() => {
    if (loaded.data) {
      setDraft(loaded.data.settings);
      setModesText(loaded.data.settings.paymentsExport.paymentModes.join("\n"));
    }
  }, [loaded.data]);
  const preview = useQuery({
    ...trpc.settings.previewName.queryOptions({ tenantSlug: tenant.slug, pattern: draft?.customers.namePattern ?? "" }),
    enabled: Boolean(draft),
    retry: false,
  });
  const save = useMutation(
    trpc.settings.save.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.settings.get.queryKey() });
        // The workspace frame shows times in the time zone it read on load.
        router.refresh();
      },
    }),
  );
  if (!draft || !loaded.data) return <EmptyState>{loaded.isLoading ? "Loading…" : loaded.error?.message}</EmptyState>;
  const { options } = loaded.data;
  const error = (path: string) => fieldError(save.error, `settings.${path}`);
  const set = <S extends keyof Settings, K extends keyof Settings[S]>(section: S, key: K, value: Settings[S][K]) =>
    setDraft((current) => current && { ...current, [section]: { ...current[section], [key]: value } });
  const orNull = (value: string) => (value === "" ? null : value);

  return (
    <>
      <PageHeader
        title="Settings"
        description={
          editable
            ? "Every field of the add-on, with the same defaults. Changes are audited."
            : "Only admins change settings."
        }
      />
      <form
        className="space-y-6"
        onSubmit={(event) => {
          event.preventDefault();
          const paymentModes = modeLines(modesText);
          save.mutate({
            tenantSlug: tenant.slug,
            settings: { ...draft, paymentsExport: { ...draft.paymentsExport, paymentModes } },
          });
        }}
      >
        <fieldset disabled={!editable} className="space-y-6">
          <Card title="General">
            <div className="grid gap-4 md:grid-cols-2">
              <Field label="Payment statement grouping">
                <Select
                  value={draft.general.statementGrouping}
                  onChange={(event) => set("general", "statementGrouping", event.target.value as "monthly" | "daily")}
                >
                  <option value="monthly">Monthly</option>
                  <option value="daily">Daily</option>
                </Select>
              </Field>
              <Field
                label="Export from date"
                error={error("general.exportFromDate")}
                hint="Documents dated before it are never exported."
              >
                <Input
                  type="date"
                  value={draft.general.exportFromDate ?? ""}
                  onChange={(event) => set("general", "exportFromDate", orNull(event.target.value))}
                />
              </Field>
              <Field
                label="Currency"
                error={error("general.currencyCode")}
                hint="Blank keeps the Zoho organization's base currency."
              >
                <Select
                  value={draft.general.currencyCode ?? ""}
                  onChange={(event) => set("general", "currencyCode", orNull(event.target.value))}
                >
                  <option value="">Organization base currency</option>
                  {options.currencies.map((currency) => (
                    <option key={currency.value} value={currency.label}>
                      {currency.label}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field
                label="Time zone"
                error={error("general.timeZone")}
                hint={`Now ${draft.general.timeZone}: the schedule, day boundaries and every time shown use it.`}
              >
                <TimeZonePicker
                  value={draft.general.timeZone}
                  disabled={!editable}
                  onChange={(timeZone) => set("general", "timeZone", timeZone)}
                />
              </Field>
            </div>
            <div className="mt-4 grid gap-4 md:grid-cols-2">
              <Field
                label="When a customer matches a Zoho contact no link holds"
                error={error("general.existingMatch")}
                hint="Hold for review (the default): the customer is not created, and waits on Pairing until someone pairs it or chooses to create it. Pair automatically: the customer is linked to that Zoho contact, which the sync then updates."
              >
                <Select
                  value={draft.general.existingMatch}
                  onChange={(event) => set("general", "existingMatch", event.target.value as "hold" | "pair")}
                >
                  <option value="hold">Hold for review</option>
                  <option value="pair">Pair automatically</option>
                </Select>
              </Field>
              <Field
                label="Zoho daily quota kept in reserve (%)"
                error={error("general.quotaReservePercent")}
                hint="Left for the ISP's other Zoho integrations: a run pauses when only this share of today's calls is left, and goes on after Zoho's daily reset."
              >
                <Input
                  type="number"
                  inputMode="numeric"
                  required
                  value={Number.isNaN(draft.general.quotaReservePercent) ? "" : draft.general.quotaReservePercent}
                  onChange={(event) =>
                    set(
                      "general",
                      "quotaReservePercent",
                      event.target.value === "" ? Number.NaN : Number(event.target.value),
                    )
                  }
                />
              </Field>
              <Field
                label="Keep the sync log for (days)"
                error={error("general.logRetentionDays")}
                hint="Runs and their per-record lines older than this are deleted every night; the records themselves stay."
              >
                <Input
                  type="number"
                  inputMode="numeric"
                  required
                  value={Number.isNaN(draft.general.logRetentionDays) ? "" : draft.general.logRetentionDays}
                  onChange={(event) =>
                    set(
                      "general",
                      "logRetentionDays",
                      event.target.value === "" ? Number.NaN : Number(event.target.value),
                    )
                  }
                />
              </Field>
            </div>
            <div className="mt-4">
              <Choices
                legend="Partners ignore list"
                options={options.partners}
                chosen={draft.general.ignoredPartnerIds}
                disabled={!editable}
                empty="Load mapping data to choose partners."
                onChange={(chosen) => set("general", "ignoredPartnerIds", chosen)}
              />
            </div>
          </Card>

          <Card title="Customers and invoices export">
            <div className="grid gap-4 md:grid-cols-2">
              <Field
                label="Customer name pattern"
                error={error("customers.namePattern")}
                hint={`Placeholders: ${NAME_PLACEHOLDERS.join(", ")}; nothing else in braces.${preview.data ? ` ${preview.data.customer} → ${preview.data.name}` : ""}`}
              >
                <Input
                  value={draft.customers.namePattern}
                  onChange={(event) => set("customers", "namePattern", event.target.value)}
                />
              </Field>
              <Field
                label="Rounding item"
                hint="A Zoho item that absorbs rounding differences; without it the adjustment field is used."
              >
                <Select
                  value={draft.customers.roundingItemId ?? ""}
                  onChange={(event) => set("customers", "roundingItemId", orNull(event.target.value))}
                >
                  <option value="">Use the adjustment field</option>
                  {options.items.map((item) => (
                    <option key={item.value} value={item.value}>
                      {item.label}
                    </option>
                  ))}
                </Select>
              </Field>
            </div>
            <div className="mt-4 space-y-2">
              <Check
                label="Check data before export (read the Zoho contact before updating it, so its other contact persons are kept)"
                checked={draft.customers.checkDataBeforeExport}
                onChange={(on) => set("customers", "checkDataBeforeExport", on)}
              />
              <Check
                label="Ignore inactive customers (customers already synced or paired keep syncing)"
                checked={draft.customers.ignoreInactive}
                onChange={(on) => set("customers", "ignoreInactive", on)}
              />
              <Check
                label="Keep invoices as drafts in Zoho"
                hint="Payments can't be applied to drafts: leave it off to have each invoice marked sent once it is created."
                checked={draft.customers.invoicesAsDrafts}
                onChange={(on) => set("customers", "invoicesAsDrafts", on)}
              />
            </div>
          </Card>

          <Card title="Payments export">
            <div className="space-y-4">
              <Check
                label="Export payments to Zoho Books"
                checked={draft.paymentsExport.enabled}
                onChange={(on) => set("paymentsExport", "enabled", on)}
              />
              <Choices
                legend="Allowed Splynx payment methods"
                options={options.paymentMethods}
                chosen={draft.paymentsExport.allowedMethodIds}
                disabled={!editable}
                empty="Load mapping data to choose payment methods."
                onChange={(chosen) => set("paymentsExport", "allowedMethodIds", chosen)}
              />
              <div className="grid gap-4 md:grid-cols-2">
                <Field label="Zoho payment modes" error={error("paymentsExport.paymentModes")} hint="One per line.">
                  <textarea
                    className="block h-32 w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
                    value={modesText}
                    onChange={(event) => setModesText(event.target.value)}
                  />
                </Field>
                <Field
                  label="Default payment mode"
                  error={error("paymentsExport.defaultPaymentMode")}
                  hint="As Zoho names it; chosen from the modes listed beside."
                >
                  <Select
                    value={draft.paymentsExport.defaultPaymentMode ?? ""}
                    onChange={(event) => set("paymentsExport", "defaultPaymentMode", orNull(event.target.value))}
                  >
                    <option value="">None</option>
                    {[...new Set([...modeLines(modesText), draft.paymentsExport.defaultPaymentMode ?? ""])]
                      .filter(Boolean)
                      .map((mode) => (
                        <option key={mode} value={mode}>
                          {paymentModeName(mode)}
                        </option>
                      ))}
                  </Select>
                </Field>
                <Field
                  label="Unique payment field in Zoho (optional)"
                  error={error("paymentsExport.uniqueFieldApiName")}
                  hint="The API name (cf_…) of a payment custom field set to refuse duplicates: payments are then written by it, so none is ever recorded twice."
                >
                  <Input
                    value={draft.paymentsExport.uniqueFieldApiName ?? ""}
                    placeholder="cf_splynx_payment_id"
                    onChange={(event) => set("paymentsExport", "uniqueFieldApiName", orNull(event.target.value))}
                  />
                </Field>
              </div>
            </div>
          </Card>

          <Card title="Payments import">
            <div className="space-y-4">
              <Check
                label="Import payments from Zoho Books"
                checked={draft.paymentsImport.enabled}
                onChange={(on) => set("paymentsImport", "enabled", on)}
              />
              <div className="grid gap-4 md:grid-cols-2">
                <Field
                  label="Accounting payment method"
                  hint="Imported payments get it; payments of this method are never exported back."
                >
                  <Select
                    value={draft.paymentsImport.accountingMethodId ?? ""}
                    onChange={(event) => set("paymentsImport", "accountingMethodId", orNull(event.target.value))}
                  >
                    <option value="">Not chosen</option>
                    {options.paymentMethods.map((method) => (
                      <option key={method.value} value={method.value}>
                        {method.label}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Field label="Import payments from date" error={error("paymentsImport.importFromDate")}>
                  <Input
                    type="date"
                    value={draft.paymentsImport.importFromDate ?? ""}
                    onChange={(event) => set("paymentsImport", "importFromDate", orNull(event.target.value))}
                  />
                </Field>
              </div>
              <Check
                label="Create payment always (also for payments that match no single invoice, for a paired customer)"
                checked={draft.paymentsImport.createPaymentAlways}
                onChange={(on) => set("paymentsImport", "createPaymentAlways", on)}
              />
            </div>
          </Card>

          <Card title="Schedule" id="schedule">
            <div className="grid gap-4 md:grid-cols-2">
              <Field
                label="Launch time"
                error={error("schedule.launchTime")}
                hint={`Daily, in ${draft.general.timeZone}.`}
              >
                <Input
                  type="time"
                  value={draft.schedule.launchTime}
                  onChange={(event) => set("schedule", "launchTime", event.target.value)}
                />
              </Field>
              <Field label="Also every">
                <Select
                  value={String(draft.schedule.intervalMinutes ?? "")}
                  onChange={(event) =>
                    set(
                      "schedule",
                      "intervalMinutes",
                      event.target.value ? (Number(event.target.value) as 15 | 30 | 60) : null,
                    )
                  }
                >
                  <option value="">Only at the launch time</option>
                  <option value="15">15 minutes</option>
                  <option value="30">30 minutes</option>
                  <option value="60">60 minutes</option>
                </Select>
              </Field>
            </div>
            <div className="mt-4 flex flex-wrap gap-6">
              <Check
                label="Customers"
                checked={draft.schedule.customers}
                onChange={(on) => set("schedule", "customers", on)}
              />
              <Check
                label="Invoices"
                checked={draft.schedule.invoices}
                onChange={(on) => set("schedule", "invoices", on)}
              />
              <Check
                label="Credit notes"
                checked={draft.schedule.creditNotes}
                onChange={(on) => set("schedule", "creditNotes", on)}
              />
              <Check
                label="Payments"
                checked={draft.schedule.payments}
                onChange={(on) => set("schedule", "payments", on)}
              />
            </div>
          </Card>
        </fieldset>
        {formError(save.error) && <Notice>{formError(save.error)}</Notice>}
        {save.error && !formError(save.error) && <Notice>Some fields need attention; see the messages above.</Notice>}
        {save.isSuccess && <Notice tone="success">Saved ({save.data.changed} changed).</Notice>}
        {editable && (
          <Button type="submit" busy={save.isPending}>
            Save settings
          </Button>
        )}
      </form>
    </>
  );
}
