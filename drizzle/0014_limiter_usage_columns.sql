-- The day's count moves to zoho_daily_usage; what the old columns counted today is kept there.
INSERT INTO "zoho_daily_usage" ("organization_id", "day", "calls")
SELECT "organization_id", "calls_day"::date, "calls_today" FROM "zoho_rate_limits" WHERE "calls_day" IS NOT NULL
ON CONFLICT ("organization_id", "day") DO UPDATE SET "calls" = greatest("zoho_daily_usage"."calls", excluded."calls");--> statement-breakpoint
ALTER TABLE "zoho_rate_limits" DROP COLUMN "calls_day";--> statement-breakpoint
ALTER TABLE "zoho_rate_limits" DROP COLUMN "calls_today";
