"use server";
// Asks for a reset link; the answer is the same whether or not the address has an account.
import { headers } from "next/headers";
import { z } from "zod";
import { getDb } from "@/db/client";
import { clientAddress } from "@/server/auth/client-address";
import { requestPasswordReset } from "@/server/auth/password-reset";

export type ForgotState = { error?: string; fieldError?: string; sent?: "smtp" | "outbox"; email?: string };

const email = z.email("Enter a valid e-mail address").max(254);

export async function forgotPasswordAction(_previous: ForgotState, form: FormData): Promise<ForgotState> {
  const typed = String(form.get("email") ?? "").trim();
  const parsed = email.safeParse(typed);
  if (!parsed.success) return { fieldError: parsed.error.issues[0]!.message, email: typed };
  const request = await headers();
  const origin = `${request.get("x-forwarded-proto") ?? "http"}://${request.get("host")}`;
  const result = await requestPasswordReset(await getDb(), {
    email: parsed.data,
    ip: clientAddress(request as unknown as Headers),
    origin,
  });
  if (result.outcome === "throttled")
    return { error: "Too many reset requests for this address. Wait an hour and try again.", email: typed };
  if (result.outcome === "unavailable")
    return {
      error:
        "This server has no mail set up, so it can't send reset links. Ask whoever runs Ledgerlink to set SMTP_URL.",
      email: typed,
    };
  return { sent: result.delivery, email: typed };
}
