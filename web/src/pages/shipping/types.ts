// Shapes of the shipping API's answers (docs/api.md "Shipping", docs/one-click-shipping.md).

export interface HoldReason {
  code: string;
  message: string;
  field?: string;
  rule_id?: number;
}

// The fields of an order these pages show (GET /api/v1/orders items).
export interface OrderSummary {
  id: number;
  order_no: string;
  status: string;
  currency: string;
  total: number;
  lines: { sku: string; quantity: number; unit_price: number }[];
  customer: { name: string; phone: string };
  shipping_address: { province: string; city: string; district: string };
  platform: string | null;
  hold_reasons: HoldReason[];
  ship_due_at: string | null;
  created_at: string;
}

export interface Reminder {
  order_id: number;
  order_no: string;
  status: string;
  due_at: string;
  state: "due_soon" | "overdue" | "escalated";
}

export interface ImportJob {
  id: number;
  status: "queued" | "running" | "finished";
  total: number;
  applied: number;
  unchanged: number;
  failed: number;
  errors: { row: number; column?: string; message: string }[];
}

export interface Carrier {
  code: string;
  kuaidi100: string;
  name_zh: string;
  name_en: string;
  tracking_format: string;
}

export interface BatchOrder {
  order_id: number;
  outcome: "pending" | "shipped" | "skipped" | "failed";
  tracking_no: string | null;
  reasons: string[];
}

export interface ShipmentBatch {
  id: number;
  carrier: string;
  status: "queued" | "running" | "finished";
  total: number;
  shipped: number;
  skipped: number;
  failed: number;
  orders: BatchOrder[];
  labels_url: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface WaybillAccount {
  accounts: Record<string, unknown>;
}

export interface CarrierAdvice {
  carrier: string;
  name: string;
  basis: "route" | "carrier";
  samples: number;
  median_hours: number;
  p80_hours: number;
  expected_at: string;
  late_at: string;
  latest_ship_at: string | null;
  meets_promise: boolean;
}

export interface ShippingAdvice {
  province: string;
  origin: string | null;
  ship_at: string;
  deliver_by: string | null;
  fastest: string | null;
  carriers: CarrierAdvice[];
}

// GB/T 2260 codes of mainland China's 31 provinces, for the advice's destination.
export const provinceCodes = [
  "110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000",
  "320000", "330000", "340000", "350000", "360000", "370000", "410000", "420000", "430000",
  "440000", "450000", "460000", "500000", "510000", "520000", "530000", "540000", "610000",
  "620000", "630000", "640000", "650000",
] as const;
