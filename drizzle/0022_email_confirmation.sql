ALTER TABLE "people" ADD COLUMN "email_confirmed_at" timestamp with time zone DEFAULT now();--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "confirmation_token_hash" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "confirmation_expires_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "people_confirmation_token_key" ON "people" USING btree ("confirmation_token_hash");