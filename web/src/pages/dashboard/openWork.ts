// What waits to ship now, whatever the range: orders awaiting shipment (GET /api/v1/orders/counts)
// and overdue ones (GET /api/v1/shipping/reminders). Reminders come most overdue first, so the
// overdue ones are counted page by page until the first one not yet due, up to a bound.
import { ref } from "vue";
import { api } from "@/api";
import type { ReminderPage, StatusCounts } from "./types";

const kPageSize = 200;
const kMaxPages = 5;

export function useOpenWork() {
  const awaiting = ref<number | null>(null);
  const overdue = ref<number | null>(null);
  const overdueCapped = ref(false);

  async function countOverdue(): Promise<void> {
    let found = 0;
    let cursor: string | null = null;
    for (let page = 0; page < kMaxPages; page++) {
      const answer: ReminderPage = await api.get<ReminderPage>("/api/v1/shipping/reminders", {
        limit: kPageSize,
        cursor,
      });
      const late = answer.items.filter((r) => r.state !== "due_soon").length;
      found += late;
      cursor = answer.next_cursor;
      if (late < answer.items.length || !cursor) {
        overdue.value = found;
        overdueCapped.value = false;
        return;
      }
    }
    overdue.value = found;
    overdueCapped.value = true;
  }

  async function load(): Promise<void> {
    const counts = api.get<StatusCounts>("/api/v1/orders/counts").then((c) => {
      awaiting.value = c.awaiting_shipment;
    });
    await Promise.allSettled([counts, countOverdue()]);
  }

  return { awaiting, overdue, overdueCapped, load };
}
