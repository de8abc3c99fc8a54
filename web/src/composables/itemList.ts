// A short list that an endpoint answers whole ({items}, no cursor): users, keys, rules, alerts …
// load() reads it again; a failure shows the error's text (or app.failed) as a message.
// Call it in a component's setup.
import { ref, type Ref } from "vue";
import { useI18n } from "vue-i18n";
import { api } from "@/api";

type Query = NonNullable<Parameters<typeof api.get>[1]>;

export function useItemList<T>(path: string, query?: () => Query) {
  const { t } = useI18n();
  const rows = ref([]) as Ref<T[]>;
  const loading = ref(false);

  async function load(): Promise<void> {
    loading.value = true;
    try {
      rows.value = (await api.get<{ items: T[] }>(path, query?.())).items;
    } catch (error) {
      ElMessage.error(error instanceof Error && error.message ? error.message : t("app.failed"));
    } finally {
      loading.value = false;
    }
  }

  return { rows, loading, load };
}
