// Tracking checkpoints entered by hand or imported (TRK-1): POST /api/v1/parcels/{id}/events,
// POST /api/v1/tracking/import, and the parcel they answer with (GET /api/v1/parcels/{id}).

export const parcelStatuses = [
  "info_received",
  "in_transit",
  "out_for_delivery",
  "delivered",
  "exception",
  "returned",
] as const;

export type ParcelStatus = (typeof parcelStatuses)[number];

export interface TrackingEvent {
  status: ParcelStatus;
  text: string;
  at: string;
  location: string | null;
  source: string;
}

export interface Parcel {
  parcel_id: number;
  shipment_id: number | null;
  carrier: string;
  tracking_no: string;
  status: ParcelStatus;
  eta: string | null;
  stalled: boolean;
  events: TrackingEvent[];
}

export interface TrackingImportReport {
  applied: number;
  unchanged: number;
  failed: { line: number; column?: string; message: string }[];
}
