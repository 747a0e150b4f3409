// Where Zoho sends the person back after consent; everything is checked in completeZohoConnect.
import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { listTenantsForPerson } from "@/db/queries/tenants";
import { clientAddress } from "@/server/auth/client-address";
import { currentPerson } from "@/server/auth/current-person";
import { signedNotices } from "@/server/auth/signed-notice";
import { completeZohoConnect, ConnectRefused } from "@/server/zoho/connection";

export async function GET(request: Request) {
  const url = new URL(request.url);
  const person = await currentPerson();
  if (!person)
    return NextResponse.redirect(new URL(`/login?callbackUrl=${encodeURIComponent(url.pathname + url.search)}`, url));
  const db = await getDb();
  const pageFor = async (tenantId: string | undefined, params: Record<string, string>) => {
    const tenant = (await listTenantsForPerson(db, person.id)).find((candidate) => candidate.id === tenantId);
    return new URL(tenant ? `/t/${tenant.slug}/connections/zoho?${new URLSearchParams(params)}` : "/", url);
  };
  try {
    const { tenantId, warning } = await completeZohoConnect(db, {
      actor: { id: person.id, email: person.email, ip: clientAddress(request.headers) },
      query: url.searchParams,
      origin: url.origin,
    });
    return NextResponse.redirect(await pageFor(tenantId, { connected: "1", ...signedNotices({ warning }) }));
  } catch (error) {
    if (!(error instanceof ConnectRefused)) throw error;
    if (error.tenantId)
      return NextResponse.redirect(await pageFor(error.tenantId, signedNotices({ error: error.message })));
    return new NextResponse(
      `<!doctype html><title>Zoho Books connection refused</title><p>${error.message.replace(/</g, "&lt;")}</p><p><a href="/">Back to Ledgerlink</a></p>`,
      { status: 400, headers: { "content-type": "text/html; charset=utf-8" } },
    );
  }
}
