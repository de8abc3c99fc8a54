// Shapes of the notification endpoints (schemas Notification, NotificationDetail, Template…,
// ChannelAccount, SandboxMessage and the notification part of Settings in openapi.json).

export const deliveryStatuses = ["queued", "sending", "sent", "delivered", "failed", "dead"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export const channels = ["sms", "wechat", "push", "email", "webhook", "platform"] as const;
export type Channel = (typeof channels)[number];

export const customerChannels = ["sms", "wechat", "push", "email"] as const;
export type CustomerChannel = (typeof customerChannels)[number];

// The channels a merchant sets up an account for (platform write-backs use the connection's URL).
export const accountChannels = ["sms", "wechat", "push", "email", "webhook"] as const;
export type AccountChannel = (typeof accountChannels)[number];

export const templateLocales = ["zh-CN", "en"] as const;
export type TemplateLocale = (typeof templateLocales)[number];

// Every event type depot emits (EventType in openapi.json).
export const eventTypes = [
  "order.created",
  "order.paid",
  "order.edited",
  "order.status_changed",
  "order.cancelled",
  "order.held",
  "order.released",
  "shipment.created",
  "shipment.due_soon",
  "shipment.overdue",
  "shipment.escalated",
  "product.created",
  "stock.received",
  "stock.adjusted",
  "stock.transferred",
  "stock.low",
  "stock.replenished",
  "notification.dead",
  "ticket.opened",
  "order.delivered",
  "tracking.out_for_delivery",
  "tracking.delivered",
  "tracking.exception",
  "tracking.stalled",
  "return.requested",
  "return.approved",
  "return.rejected",
  "return.received",
  "refund.created",
  "refund.completed",
] as const;
export type EventType = (typeof eventTypes)[number];

export interface Notification {
  id: number;
  event: EventType;
  event_id: number;
  order_id: number | null;
  channel: Channel;
  recipient: string;
  audience: "customer" | "merchant" | "staff";
  locale: TemplateLocale;
  template: "default" | "merchant" | "event" | "write-back";
  status: DeliveryStatus;
  attempts: number;
  key: string;
  provider_id: string | null;
  next_attempt_at: string | null;
  resend_of: number | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  last_error?: string;
  fallbacks: CustomerChannel[];
}

export interface Attempt {
  n: number;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  outcome: "sent" | "retry_later" | "permanent" | "interrupted" | "delivered" | "undelivered";
  response: string;
}

export interface NotificationDetail extends Omit<Notification, "order_id"> {
  order_id: number;
  message: { subject: string; text: string; html?: string; link?: string; payload?: string };
  attempt_log: Attempt[];
}

export interface StoredTemplate {
  event: EventType;
  channel: CustomerChannel;
  locale: TemplateLocale;
  subject: string;
  body: string;
  updated_at: string;
}

export interface TemplateList {
  items: StoredTemplate[];
  variables: { name: string; about: string }[];
}

export interface Template extends Omit<StoredTemplate, "updated_at"> {
  updated_at: string | null;
  template: "merchant" | "default";
}

export interface TemplateChoice {
  event: EventType;
  channel: CustomerChannel;
  locale: TemplateLocale;
}

export interface TemplatePreview {
  template: "draft" | "merchant" | "default";
  subject: string;
  text: string;
  html: string;
  values: Record<string, string>;
}

export interface ChannelAccount {
  channel: Channel;
  url: string;
  settings: Record<string, string>;
  secrets_set: string[];
  templates: Record<string, string>;
  sandbox: boolean;
  disabled: boolean;
  report_path?: string;
}

export interface SandboxMessage {
  id: number;
  notification_id: number;
  order_id: number | null;
  channel: Channel;
  recipient: string;
  subject: string;
  text: string;
  html: string;
  created_at: string;
}

export interface NotificationSettings {
  notify_events: EventType[];
  default_channels: CustomerChannel[];
}
