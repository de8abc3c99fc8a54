// Shapes of the settings, integrations, carrier accounts, geocoder, audit and export endpoints.
export interface ReportSettings {
  utc_offset_minutes: number;
  lead_days: number;
  lead_days_by_sku: Record<string, number>;
  service_level: number;
  review_days: number;
}

export interface Settings {
  edit_window_seconds: number;
  unpaid_timeout_seconds: number;
  currency: string;
  ship_sla_hours: number;
  ship_sla_hours_by_platform: Record<string, number>;
  ship_due_soon_hours: number;
  ship_escalate_hours: number;
  public_url: string;
  tracking_stall_hours: number;
  tracking_stall_hours_by_carrier: Record<string, number>;
  reports: ReportSettings;
}

export const platforms = ["generic", "shopify", "taobao"] as const;
export type Platform = (typeof platforms)[number];

export interface Integration {
  id: number;
  platform: Platform;
  name: string;
  webhook_url: string;
  callback_url: string;
  access_token_set: boolean;
  created_at: string;
}

export interface IntegrationCreated extends Integration {
  secret: string;
}

export interface TrackingAccount {
  provider: "kuaidi100";
  url: string;
  customer: string;
  key_set: boolean;
  salt_set: boolean;
  callback_url: string;
  updated_at: string;
}

export type WaybillCarrierFields = Record<string, string | boolean>;

export interface WaybillAccount {
  provider: "kuaidi100";
  url: string;
  key_set: boolean;
  secret_set: boolean;
  accounts: Record<string, WaybillCarrierFields>;
  updated_at: string;
}

export interface Geocoder {
  configured: boolean;
  url: string | null;
  key_set?: boolean;
}

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export interface AuditEntry {
  id: number;
  actor: string;
  action: string;
  object: string;
  at: string;
  changes: FieldChange[];
}

export const exportKinds = ["orders", "ledger", "notifications", "dashboard"] as const;
export type ExportKind = (typeof exportKinds)[number];
export type ExportFormat = "csv" | "xlsx";

export interface ExportJob {
  id: number;
  kind: ExportKind;
  format: ExportFormat;
  from: string;
  to: string;
  status: "queued" | "running" | "done" | "failed";
  progress: { rows_done: number; rows_total: number | null };
  file_name: string;
  download_url: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}
