CREATE TABLE "zoho_daily_usage" (
	"organization_id" text NOT NULL,
	"day" date NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "zoho_daily_usage_organization_id_day_pk" PRIMARY KEY("organization_id","day")
);
