CREATE TYPE "public"."splynx_auth_mode" AS ENUM('signature', 'token');--> statement-breakpoint
CREATE TABLE "splynx_connections" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"base_url" text NOT NULL,
	"auth_mode" "splynx_auth_mode" DEFAULT 'signature' NOT NULL,
	"api_key_sealed" text NOT NULL,
	"api_secret_sealed" text NOT NULL,
	"last_test" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "splynx_nonces" (
	"key_fingerprint" text PRIMARY KEY NOT NULL,
	"last_nonce" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "splynx_connections" ADD CONSTRAINT "splynx_connections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;