// Mail kept instead of sent where no SMTP server is configured, newest first, for the sandbox's outbox page.
import { desc } from "drizzle-orm";
import type { Db } from "../client";
import { mailOutbox } from "../schema";

export type OutgoingMail = { to: string; subject: string; text: string };

export async function keepInOutbox(db: Db, mail: OutgoingMail) {
  await db.insert(mailOutbox).values(mail);
}

export async function listOutbox(db: Db, input: { limit: number }) {
  return db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt)).limit(input.limit);
}
