// Small pieces the order pages share: status colours, hold reasons in words and how an unexpected
// error reaches the user.
import { ApiError } from "@/api";
import type { DeliveryStatus, OrderStatus, ParcelStatus } from "./types";

type TagType = "primary" | "success" | "info" | "warning" | "danger";

export function errorText(error: unknown, forbidden: string): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return forbidden;
    return error.message || error.title;
  }
  return error instanceof Error ? error.message : String(error);
}

export function statusTagType(status: OrderStatus): TagType {
  switch (status) {
    case "pending_payment":
      return "warning";
    case "awaiting_shipment":
    case "partially_shipped":
      return "primary";
    case "shipped":
    case "delivered":
    case "completed":
      return "success";
    case "on_hold":
      return "danger";
    case "cancelled":
      return "info";
  }
}

export function deliveryTagType(status: DeliveryStatus): TagType {
  if (status === "delivered" || status === "sent") return "success";
  if (status === "failed") return "warning";
  if (status === "dead") return "danger";
  return "info";
}

export function parcelTagType(status: ParcelStatus): TagType {
  if (status === "delivered") return "success";
  if (status === "exception" || status === "returned") return "danger";
  if (status === "out_for_delivery") return "primary";
  return "info";
}

type Translate = (key: string) => string;
type Exists = (key: string) => boolean;

// A hold reason code in words, or the code itself for one this console does not know yet.
export function holdReasonLabel(code: string, t: Translate, te: Exists): string {
  const key = `orders.holdReason.${code}`;
  return te(key) ? t(key) : code;
}
