// An account the server keeps at one path (geocoder, tracking, electronic waybill): read when the
// card mounts (404: none yet), replaced as a whole by save(). adopt() takes what the server holds
// into the card's form; errors go to the card's useFieldErrors. Call it in a component's setup.
import { onMounted, ref } from "vue";
import { useI18n } from "vue-i18n";
import { api, ApiError } from "@/api";

interface Errors {
  report: (error: unknown) => void;
  clear: () => void;
}

export function useStoredAccount<T>(path: string, adopt: (account: T | null) => void, errors: Errors) {
  const { t } = useI18n();
  const loading = ref(false);
  const saving = ref(false);

  onMounted(async () => {
    loading.value = true;
    try {
      adopt(await api.get<T>(path));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) adopt(null);
      else errors.report(error);
    } finally {
      loading.value = false;
    }
  });

  async function save(body: Record<string, unknown>): Promise<void> {
    saving.value = true;
    errors.clear();
    try {
      adopt(await api.put<T>(path, body));
      ElMessage.success(t("app.saved"));
    } catch (error) {
      errors.report(error);
    } finally {
      saving.value = false;
    }
  }

  return { loading, saving, save };
}
