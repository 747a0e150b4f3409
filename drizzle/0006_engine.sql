ALTER TABLE "sync_runs" ALTER COLUMN "counts" SET DEFAULT '{"created":0,"updated":0,"unchanged":0,"skipped":0,"failed":0,"held":0}'::jsonb;--> statement-breakpoint
ALTER TABLE "sync_links" ADD COLUMN "organization_id" text;--> statement-breakpoint
ALTER TABLE "sync_links" ADD COLUMN "intent_key" jsonb;--> statement-breakpoint
ALTER TABLE "sync_links" ADD COLUMN "claim_id" uuid;--> statement-breakpoint
ALTER TABLE "sync_links" ADD COLUMN "claimed_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sync_links" ADD COLUMN "candidate_id" text;--> statement-breakpoint
ALTER TABLE "sync_links" ADD COLUMN "failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_links" ADD COLUMN "retry_after" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "only_splynx_ids" text[];--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "slot" text;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "resume_at" timestamp with time zone;--> statement-breakpoint
-- Links made before organizations were recorded belong to the organization the tenant has chosen now.
UPDATE "sync_links" SET "organization_id" = "zoho_connections"."organization_id" FROM "zoho_connections" WHERE "zoho_connections"."tenant_id" = "sync_links"."tenant_id" AND "sync_links"."zoho_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "sync_links_zoho_key" ON "sync_links" USING btree ("tenant_id","organization_id","entity","zoho_id") WHERE zoho_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "sync_runs_slot_key" ON "sync_runs" USING btree ("tenant_id","slot") WHERE slot is not null;--> statement-breakpoint
CREATE INDEX "sync_runs_lease_idx" ON "sync_runs" USING btree ("lease_until") WHERE status in ('queued', 'running');