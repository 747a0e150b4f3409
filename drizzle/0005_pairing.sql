CREATE TABLE "zoho_contacts_cache" (
	"tenant_id" uuid NOT NULL,
	"contact_id" text NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"company_name" text NOT NULL,
	"loaded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "zoho_contacts_cache_tenant_id_contact_id_pk" PRIMARY KEY("tenant_id","contact_id")
);
--> statement-breakpoint
ALTER TABLE "zoho_contacts_cache" ADD CONSTRAINT "zoho_contacts_cache_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;