"use client";
// Payments in Records, either way they travel: the Splynx receipt and the Zoho payment number, the amount, the
// invoice it pays, the state and the reason (SPEC §6.3, §6.4).
import { ExplainedMessage } from "../../../_components/explained-message";
import { Table } from "../../../_components/ui";
import { useTime } from "../../../_components/zoned-time";
import { amount, cell, StateBadge, ZohoLink, type RecordRow } from "./record-cells";

const DIRECTION = { export: "Splynx → Zoho", import: "Zoho → Splynx" } as const;

export function PaymentRows({
  rows,
  prefix,
  direction,
}: {
  rows: RecordRow[];
  prefix: string | null | undefined;
  direction: keyof typeof DIRECTION;
}) {
  const time = useTime();
  return (
    <Table
      head={[
        "Splynx payment",
        "Zoho payment",
        "Customer",
        "Date",
        "Amount",
        "Invoice",
        "Direction",
        "State",
        "Last sync",
        "Reason",
      ]}
    >
      {rows.map((link) => {
        const details = link.details ?? {};
        // An export starts from a Splynx receipt; an import from a Zoho payment and makes a Splynx payment.
        const receipt = direction === "export" ? (details.number ?? link.splynxId) : details.splynxPaymentId;
        const zohoNumber = direction === "export" ? details.zohoNumber : (details.zohoNumber ?? details.number);
        const splynxAmount = details.splynxTotal ?? (direction === "import" ? details.zohoTotal : undefined);
        return (
          <tr key={link.splynxId} data-testid="payment-row">
            <td className={`${cell} whitespace-nowrap font-mono text-xs`}>{receipt ?? "—"}</td>
            <td className={`${cell} whitespace-nowrap font-mono text-xs`}>
              {zohoNumber && <span className="block">{zohoNumber}</span>}
              <ZohoLink link={link} prefix={prefix} name={`Open payment ${zohoNumber ?? link.zohoId} in Zoho Books`} />
            </td>
            <td className={cell}>{link.customerName ?? details.customerId ?? ""}</td>
            <td className={`${cell} whitespace-nowrap`}>{details.date}</td>
            <td
              className={`${cell} text-right tabular-nums ${link.mismatch ? "font-semibold text-red-700" : ""}`}
              data-testid="payment-amount"
            >
              {amount(splynxAmount)}
              {link.mismatch && <span className="block text-xs font-normal">Zoho: {amount(details.zohoTotal)}</span>}
            </td>
            <td className={`${cell} whitespace-nowrap font-mono text-xs`}>{details.invoiceNumber ?? ""}</td>
            <td className={`${cell} whitespace-nowrap`}>{DIRECTION[direction]}</td>
            <td className={cell}>
              <StateBadge state={link.state} removed={Boolean(link.removedAt)} />
            </td>
            <td className={`${cell} text-slate-600`}>{link.syncedAt ? time(link.syncedAt) : ""}</td>
            <td className={`${cell} min-w-48 break-words text-slate-600`}>
              <ExplainedMessage message={link.message} />
            </td>
          </tr>
        );
      })}
    </Table>
  );
}
