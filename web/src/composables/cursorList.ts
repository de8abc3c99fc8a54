// A list read from a cursor-paged endpoint ({items, next_cursor}) a page at a time: load() reads
// the first page with the current filters, load(true) appends the next one. Call it in a
// component's setup.
import { computed, ref, type Ref } from "vue";
import { useI18n } from "vue-i18n";
import { api, type Page } from "@/api";

type Query = NonNullable<Parameters<typeof api.get>[1]>;

export interface CursorListOptions<T> {
  pageSize: number;
  // Runs before each request, e.g. to clear the error of the last one.
  onLoad?: () => void;
  // Receives each page once it is in rows (more: it was appended).
  onPage?: (items: T[], more: boolean) => void;
  // Shows a failed request instead of the default message (the error's text, or app.failed).
  onError?: (error: unknown) => void;
}

export function useCursorList<T>(
  path: string | (() => string),
  query: () => Query,
  options: CursorListOptions<T>,
) {
  const { t } = useI18n();
  const rows = ref([]) as Ref<T[]>;
  const cursor = ref<string | null>(null);
  const loading = ref(false);
  const hasMore = computed(() => cursor.value !== null);

  async function load(more = false): Promise<void> {
    loading.value = true;
    options.onLoad?.();
    try {
      const page = await api.get<Page<T>>(typeof path === "string" ? path : path(), {
        ...query(),
        cursor: more ? cursor.value : undefined,
        limit: options.pageSize,
      });
      rows.value = more ? [...rows.value, ...page.items] : page.items;
      cursor.value = page.next_cursor || null;
      options.onPage?.(page.items, more);
    } catch (error) {
      if (options.onError) options.onError(error);
      else ElMessage.error(error instanceof Error && error.message ? error.message : t("app.failed"));
    } finally {
      loading.value = false;
    }
  }

  const reload = () => load();

  return { rows, loading, hasMore, load, reload };
}
