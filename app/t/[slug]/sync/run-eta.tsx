// How long a running sync still needs, from Zoho's limits; shown under the run's progress on the Sync page and dashboard.
type Props = { run: { status: string; eta: { text: string; tomorrow: boolean } | null } };

export function RunEta({ run }: Props) {
  if (run.status !== "running" && run.status !== "queued") return null;
  return (
    <p className="text-xs text-slate-600" data-testid="run-eta">
      {run.eta ? `Time left: ${run.eta.text}.` : "Time left: estimated once the first records are done."}
    </p>
  );
}
