"use client";
// The budget page's two charts (recharts): Zoho calls per day, and runs' created / updated / failed records per day.
import type { ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

const shortDay = (day: string) => day.slice(5);

/** Bars per day, one axis of days (MM-DD) and one of counts. */
function DayBars({ label, data, children }: { label: string; data: object[]; children: ReactNode }) {
  return (
    <div className="h-64" role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} fontSize={11} />
          <YAxis allowDecimals={false} fontSize={11} width={48} />
          <Tooltip />
          {children}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function CallsChart({
  days,
  dailyLimit,
}: {
  days: { day: string; calls: number }[];
  dailyLimit: number | null;
}) {
  return (
    <DayBars label="Zoho calls per day over the last 30 days" data={days}>
      {dailyLimit !== null && <ReferenceLine y={dailyLimit} stroke="#dc2626" strokeDasharray="4 4" label="quota" />}
      <Bar dataKey="calls" name="Zoho calls" fill="#4f46e5" />
    </DayBars>
  );
}

type RunDay = { day: string; created: number; updated: number; failed: number };

export function RunsChart({ days }: { days: RunDay[] }) {
  return (
    <DayBars label="Records created, updated and failed by runs per day" data={days}>
      <Legend />
      <Bar dataKey="created" stackId="records" name="created" fill="#059669" />
      <Bar dataKey="updated" stackId="records" name="updated" fill="#4f46e5" />
      <Bar dataKey="failed" stackId="records" name="failed" fill="#dc2626" />
    </DayBars>
  );
}
