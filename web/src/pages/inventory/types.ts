// Shapes of the inventory API's answers (docs/api.md, "Products", "Warehouses", "Inventory").

export interface ProductImage {
  id: number;
  url: string;
  content_type: string;
  size: number;
}

export interface Product {
  sku: string;
  name: string;
  price: number;
  currency: string;
  barcode: string | null;
  attributes: Record<string, string>;
  weight_grams: number;
  low_stock_threshold: number;
  images: ProductImage[];
  version: number;
  created_at: string;
}

export interface StockLocation {
  location: string;
  on_hand: number;
  reserved: number;
  available: number;
}

export interface Stock {
  sku: string;
  on_hand: number;
  reserved: number;
  available: number;
  low_stock_threshold: number;
  locations: StockLocation[];
}

export type MovementKind =
  | "inbound"
  | "adjustment"
  | "reservation"
  | "release"
  | "shipment"
  | "transfer_out"
  | "transfer_in"
  | "return_restock";

export interface Movement {
  id: number;
  kind: MovementKind;
  sku: string;
  location: string;
  on_hand_delta: number;
  reserved_delta: number;
  reason: string;
  actor: string;
  order_id: number | null;
  at: string;
}

export interface SenderAddress {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}

export interface Warehouse {
  code: string;
  name: string;
  locations: string[];
  sender: SenderAddress | null;
}

export interface Alert {
  id: number;
  kind: "low_stock" | "order_held" | "tracking_stalled";
  sku: string | null;
  order_id: number | null;
  message: string | null;
  available: number;
  threshold: number;
  opened_at: string;
}

export interface ReplenishmentLine {
  sku: string;
  name: string;
  model: string;
  available: number;
  lead_days: number;
  reorder_point: number;
  suggested_quantity: number;
  days_of_cover: number | null;
  reorder_now: boolean;
}

// "W/L" names of every location of every warehouse, in the order the API lists them.
export function locationNames(warehouses: Warehouse[]): string[] {
  return warehouses.flatMap((w) => w.locations.map((l) => `${w.code}/${l}`));
}
