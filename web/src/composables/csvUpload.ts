// Sending a CSV file as it is (the server reads UTF-8 and GBK alike) from a FilePicker: the chosen
// file, the file field's error and the request's state, for the order, shipment and checkpoint
// imports; and the progress of an import job the server applies in the background.
import { computed, ref, useTemplateRef, type Ref } from "vue";
import { useI18n } from "vue-i18n";
import { api, ApiError } from "@/api";

// The page's FilePicker carries ref="picker".
export function useCsvUpload(noFileMessage: () => string) {
  const { t } = useI18n();
  const file = ref<File | null>(null);
  const picker = useTemplateRef<{ reset(): void }>("picker");
  const sending = ref(false);
  const fileError = ref("");

  function picked(chosen: File | null) {
    file.value = chosen;
    fileError.value = "";
  }

  function clear() {
    file.value = null;
    picker.value?.reset();
  }

  // The server's answer, or null when there was no file or the file was refused (the reason is
  // then beside the file field, or in a message when it names no field of the file).
  async function send<T>(path: string): Promise<T | null> {
    if (!file.value) {
      fileError.value = noFileMessage();
      return null;
    }
    fileError.value = "";
    sending.value = true;
    try {
      return await api.post<T>(path, file.value, { headers: { "Content-Type": "text/csv" } });
    } catch (error) {
      if (error instanceof ApiError && error.status !== 403) {
        fileError.value = error.fields.map((f) => `${f.field}: ${f.message}`).join("; ") || error.message;
      } else if (error instanceof ApiError) {
        ElMessage.error(t("app.forbidden"));
      } else {
        ElMessage.error(error instanceof Error ? error.message : t("app.failed"));
      }
      return null;
    } finally {
      sending.value = false;
    }
  }

  return { file, sending, fileError, picked, clear, send };
}

interface ImportCounts {
  total: number;
  applied: number;
  unchanged: number;
  failed: number;
}

export function useImportProgress(job: Ref<ImportCounts | null>) {
  const done = computed(() => (job.value ? job.value.applied + job.value.unchanged + job.value.failed : 0));
  const percent = computed(() =>
    job.value && job.value.total > 0 ? Math.min(100, Math.round((done.value / job.value.total) * 100)) : 0,
  );
  return { done, percent };
}
