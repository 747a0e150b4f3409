CREATE TABLE "mappings" (
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"splynx_id" text NOT NULL,
	"zoho_value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mappings_tenant_id_kind_splynx_id_pk" PRIMARY KEY("tenant_id","kind","splynx_id")
);
--> statement-breakpoint
CREATE TABLE "reference_records" (
	"tenant_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"loaded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "reference_records_tenant_id_kind_external_id_pk" PRIMARY KEY("tenant_id","kind","external_id")
);
--> statement-breakpoint
ALTER TABLE "mappings" ADD CONSTRAINT "mappings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reference_records" ADD CONSTRAINT "reference_records_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;