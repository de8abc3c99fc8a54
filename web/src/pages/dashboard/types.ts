// The answer of GET /api/v1/reports/dashboard (schema Dashboard) and the counts beside it.

export type OrderStatus =
  | "pending_payment"
  | "awaiting_shipment"
  | "partially_shipped"
  | "shipped"
  | "delivered"
  | "completed"
  | "on_hold"
  | "cancelled";

export type StatusCounts = Record<OrderStatus, number>;

export interface DayFigures {
  date: string;
  orders: number;
  gmv: number;
  refunded: number;
  cancelled: number;
}

export interface Dashboard {
  from: string;
  to: string;
  utc_offset_minutes: number;
  currency: string;
  orders_per_day: DayFigures[];
  totals: {
    orders: number;
    gmv: number;
    refunded: number;
    cancelled: number;
    average_order_value: number | null;
  };
  status_counts: StatusCounts;
  on_time_ship_rate: number | null;
  average_hours_to_ship: number | null;
  shipping: { shipped: number; promised: number; on_time: number };
  carriers: { carrier: string; delivered: number; average_transit_hours: number | null }[];
  notifications: {
    channel: string;
    succeeded: number;
    failed: number;
    success_rate: number | null;
  }[];
  after_sales: {
    returns: number;
    exchanges: number;
    complaints: number;
    feedback: number;
    average_rating: number | null;
    damaged: number;
    return_rate: number | null;
    complaint_rate: number | null;
  };
  top_skus: { sku: string; units: number; revenue: number; orders: number }[];
  stock: {
    skus: number;
    on_hand: number;
    reserved: number;
    available: number;
    lowest: {
      sku: string;
      name: string;
      on_hand: number;
      reserved: number;
      available: number;
      low_stock_threshold: number;
    }[];
  };
  low_stock: { sku: string; available: number; threshold: number; since: string }[];
}

export interface Reminder {
  order_id: number;
  order_no: string;
  status: OrderStatus;
  due_at: string;
  state: "due_soon" | "overdue" | "escalated";
}

export interface ReminderPage {
  items: Reminder[];
  next_cursor: string | null;
}
