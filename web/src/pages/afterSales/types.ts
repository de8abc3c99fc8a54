// Shapes of the after-sales endpoints: returns and exchanges, refunds, delivery feedback.
export const returnStatuses = ["requested", "approved", "rejected", "received"] as const;
export type ReturnStatus = (typeof returnStatuses)[number];

export const refundStatuses = ["pending", "completed"] as const;
export type RefundStatus = (typeof refundStatuses)[number];

export interface ReturnLine {
  sku: string;
  quantity: number;
}

export interface Return {
  id: number;
  order_id: number;
  kind: "return" | "exchange";
  status: ReturnStatus;
  reason: string;
  lines: ReturnLine[];
  replacement_lines: ReturnLine[];
  photos: string[];
  decision_note: string | null;
  parcel: { carrier: string; tracking_no: string } | null;
  inspection_note: string | null;
  disposition: "restocked" | "written_off" | null;
  location: string | null;
  replacement_order_id: number | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  received_at: string | null;
}

export interface Refund {
  id: number;
  order_id: number;
  return_id: number | null;
  amount: number;
  reason: string;
  status: RefundStatus;
  reference: string | null;
  created_by: string;
  created_at: string;
  completed_at: string | null;
}

export interface CursorPage<T> {
  items: T[];
  next_cursor: string | null;
}

export interface FeedbackRow {
  carrier?: string;
  sku?: string;
  count: number;
  average_rating: number;
  intact_share: number;
}

export interface FeedbackSummary {
  by: "carrier" | "sku";
  items: FeedbackRow[];
}

export interface Carrier {
  code: string;
  name_zh: string;
  name_en: string;
  tracking_format: string;
}

export interface OrderSummary {
  id: number;
  order_no: string;
  currency: string;
  paid_amount: number;
}
