CREATE TABLE "sync_cursors" (
	"tenant_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"read_from" timestamp with time zone NOT NULL,
	"full_read_at" timestamp with time zone NOT NULL,
	"basis" text NOT NULL,
	CONSTRAINT "sync_cursors_tenant_id_entity_pk" PRIMARY KEY("tenant_id","entity")
);
--> statement-breakpoint
ALTER TABLE "sync_cursors" ADD CONSTRAINT "sync_cursors_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;