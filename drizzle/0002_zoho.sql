CREATE TYPE "public"."zoho_connection_state" AS ENUM('connected', 'needs_reconnect');--> statement-breakpoint
CREATE TABLE "zoho_call_leases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" text NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zoho_connections" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"region" text NOT NULL,
	"accounts_server" text NOT NULL,
	"api_domain" text NOT NULL,
	"own_client_id" text,
	"own_client_secret_sealed" text,
	"refresh_token_sealed" text NOT NULL,
	"access_token_sealed" text,
	"access_token_expires_at" timestamp with time zone,
	"organization_id" text,
	"organization_name" text,
	"state" "zoho_connection_state" DEFAULT 'connected' NOT NULL,
	"state_reason" text,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "zoho_oauth_states" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"region" text NOT NULL,
	"own_client_id" text,
	"own_client_secret_sealed" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "zoho_rate_limits" (
	"organization_id" text PRIMARY KEY NOT NULL,
	"recent_calls" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"daily_limit" integer,
	"daily_remaining" integer,
	"daily_resets_at" timestamp with time zone,
	"calls_day" text,
	"calls_today" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "zoho_connections" ADD CONSTRAINT "zoho_connections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zoho_oauth_states" ADD CONSTRAINT "zoho_oauth_states_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zoho_oauth_states" ADD CONSTRAINT "zoho_oauth_states_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "zoho_call_leases_org_idx" ON "zoho_call_leases" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "zoho_oauth_states_tenant_idx" ON "zoho_oauth_states" USING btree ("tenant_id");