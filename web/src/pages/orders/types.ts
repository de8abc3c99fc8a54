// Shapes of the API answers the order pages read (docs/openapi.json: Order, Shipment, Parcel, …).

export const orderStatuses = [
  "pending_payment",
  "awaiting_shipment",
  "partially_shipped",
  "shipped",
  "delivered",
  "completed",
  "on_hold",
  "cancelled",
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const customerChannels = ["sms", "email", "wechat", "push"] as const;
export type CustomerChannel = (typeof customerChannels)[number];

// The verification checks that hold an order (HoldReason.code), to filter the list on.
export const holdReasonCodes = [
  "payment.incomplete",
  "address.province_missing",
  "address.city_missing",
  "address.district_missing",
  "address.province_unknown",
  "address.city_unknown",
  "address.city_not_in_province",
  "address.district_unknown",
  "address.district_not_in_city",
  "address.detail_missing",
  "address.postcode_invalid",
  "address.not_found",
  "address.geocode_mismatch",
  "customer.phone_missing",
  "customer.phone_invalid",
  "stock.not_reserved",
  "rule.matched",
] as const;

export interface OrderLine {
  sku: string;
  quantity: number;
  unit_price: number;
}

export interface Customer {
  name: string;
  phone?: string;
  email?: string | null;
  wechat_openid?: string | null;
  device_token?: string | null;
  preferred_channels?: CustomerChannel[];
  locale?: "zh-CN" | "en";
}

export interface Address {
  province: string;
  city: string;
  district: string;
  detail: string;
  postcode?: string | null;
  province_code?: string | null;
  city_code?: string | null;
  district_code?: string | null;
}

export interface HoldReason {
  code: string;
  message: string;
  field?: string;
  rule_id?: number;
}

export interface HistoryEntry {
  from: OrderStatus | null;
  to: OrderStatus;
  actor: string;
  reason: string;
  at: string;
}

export interface Order {
  id: number;
  order_no: string;
  status: OrderStatus;
  version: number;
  currency: string;
  total: number;
  paid_amount: number;
  refund_due: number;
  refunded_amount: number;
  lines: OrderLine[];
  customer: Customer;
  shipping_address: Address;
  platform: string | null;
  external_no: string | null;
  notes: string;
  hold_reasons: HoldReason[];
  overrides: string[];
  ship_due_at: string | null;
  created_at: string;
  updated_at: string;
  history?: HistoryEntry[];
}

export type OrderCounts = Record<OrderStatus, number>;

export interface Product {
  sku: string;
  name: string;
  price: number;
  currency: string;
}

export interface Stock {
  sku: string;
  on_hand: number;
  reserved: number;
  available: number;
}

// GET /api/v1/divisions: one level of the mainland's administrative divisions.
export interface Division {
  code: string;
  name: string;
  leaf: boolean;
}

export interface ShipmentLine {
  sku: string;
  quantity: number;
}

export interface Shipment {
  id: number;
  order_id: number;
  carrier: string;
  tracking_no: string;
  lines: ShipmentLine[];
  shipped_at: string;
  created_at: string;
}

export type ParcelStatus =
  | "info_received"
  | "in_transit"
  | "out_for_delivery"
  | "delivered"
  | "exception"
  | "returned";

export interface TrackingEvent {
  status: ParcelStatus;
  text: string;
  at: string;
  location?: string | null;
}

export interface Parcel {
  shipment_id: number | null;
  parcel_id: number;
  carrier: string;
  tracking_no: string;
  status: ParcelStatus;
  eta: string | null;
  stalled?: boolean;
  delivered_at?: string | null;
  events: TrackingEvent[];
}

export interface OrderTracking {
  parcels: Parcel[];
  tracking_url: string;
}

export interface Carrier {
  code: string;
  kuaidi100: string;
  name_zh: string;
  name_en: string;
  tracking_format: string;
}

export type DeliveryStatus = "queued" | "sending" | "sent" | "delivered" | "failed" | "dead";

export interface Notification {
  id: number;
  event: string;
  channel: string;
  recipient: string;
  audience: "customer" | "merchant" | "staff";
  status: DeliveryStatus;
  attempts: number;
  resend_of: number | null;
  created_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  last_error?: string;
}

export interface Settings {
  edit_window_seconds: number;
}

export interface Items<T> {
  items: T[];
}

// POST /api/v1/orders: the codes of an address are the server's to fill in.
export interface OrderInput {
  lines: OrderLine[];
  currency?: string;
  customer: Customer;
  shipping_address: Omit<Address, "province_code" | "city_code" | "district_code">;
  notes?: string;
}

// A bulk order import (OrderImport), read while it runs.
export interface OrderImport {
  id: number;
  status: "queued" | "running" | "finished";
  total: number;
  applied: number;
  unchanged: number;
  failed: number;
  errors: { row: number; column?: string; message: string }[];
}

// The return or exchange request an order's form creates (Return; only what the console reads).
export interface CreatedReturn {
  id: number;
  kind: "return" | "exchange";
  status: string;
}
