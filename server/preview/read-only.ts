// A Zoho client that can only read: a preview or a report that tried to write would fail loudly, never write.
import type { ZohoBooksClient } from "@/server/zoho/books";

export class ZohoWriteRefused extends Error {}

/** Every call of the client goes through `request`, so refusing there refuses every write it has, present or future. */
export function readOnlyBooks(books: ZohoBooksClient): ZohoBooksClient {
  const request = books.request.bind(books);
  books.request = (call) =>
    call.method === "GET"
      ? request(call)
      : Promise.reject(new ZohoWriteRefused(`A report never writes to Zoho (it tried ${call.method} ${call.path}).`));
  return books;
}
