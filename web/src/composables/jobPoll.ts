// Follows a background job (an import, a batch) until it has finished, reading it once a second.
import { onBeforeUnmount, ref, shallowRef } from "vue";
import { api } from "@/api";

export function useJobPoll<T extends { status: string }>(url: (id: number) => string) {
  const job = shallowRef<T | null>(null);
  const error = ref("");
  let timer: ReturnType<typeof setTimeout> | undefined;
  let followed = 0;

  async function tick(id: number) {
    try {
      const next = await api.get<T>(url(id));
      if (id !== followed) return;
      job.value = next;
      error.value = "";
      if (next.status !== "finished") timer = setTimeout(() => tick(id), 1000);
    } catch (e) {
      if (id !== followed) return;
      error.value = e instanceof Error ? e.message : String(e);
      timer = setTimeout(() => tick(id), 3000);
    }
  }

  function follow(id: number, first?: T) {
    clearTimeout(timer);
    followed = id;
    job.value = first ?? null;
    void tick(id);
  }

  function stop() {
    clearTimeout(timer);
    followed = 0;
    job.value = null;
  }

  onBeforeUnmount(() => clearTimeout(timer));
  return { job, error, follow, stop };
}
