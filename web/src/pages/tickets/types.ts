// Shapes of the tickets (工单) endpoints.
export const ticketStatuses = ["open", "in_progress", "resolved", "closed"] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

export const ticketKinds = [
  "notification_failed",
  "writeback_failed",
  "complaint",
  "inquiry",
  "held_order",
] as const;
export type TicketKind = (typeof ticketKinds)[number];

// The kinds staff may open; the others are opened by depot itself.
export const openableKinds = ["complaint", "inquiry", "held_order"] as const;
export type OpenableKind = (typeof openableKinds)[number];

export interface TicketComment {
  id: number;
  author: string;
  text: string;
  at: string;
}

export interface Ticket {
  id: number;
  kind: TicketKind;
  status: TicketStatus;
  order_id: number;
  subject: string;
  assignee: string | null;
  event_id: number | null;
  notification_id: number | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  comments: TicketComment[];
}

export interface OrderSummary {
  id: number;
  order_no: string;
  status: string;
}
