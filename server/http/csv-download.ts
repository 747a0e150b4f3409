// CSV downloads read through the tenant-checked procedures the screens use: cells made safe for spreadsheets, pages
// streamed as they are read, and a refusal that reveals no tenant or record.
import { TRPCError } from "@trpc/server";

/** Spreadsheet programs run cells that start with these: such a cell is prefixed, so a message stays text. */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(",")}\n`;

/** A refused read as the download's answer: 401 to sign in, 404 for anything else. */
export function refusal(error: unknown): Response {
  const status = error instanceof TRPCError && error.code === "UNAUTHORIZED" ? 401 : 404;
  return new Response(status === 401 ? "Sign in first." : "Not found.", { status });
}

/** The header, then each page's lines as it is read, until the cursor ends. */
export function csvDownload(
  filename: string,
  header: string,
  page: (cursor: number | null) => Promise<{ lines: string; nextCursor: number | null }>,
): Response {
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const encoder = new TextEncoder();
      controller.enqueue(encoder.encode(header));
      for (let cursor: number | null = null; ; ) {
        const read = await page(cursor);
        controller.enqueue(encoder.encode(read.lines));
        cursor = read.nextCursor;
        if (cursor === null) break;
      }
      controller.close();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
    },
  });
}
