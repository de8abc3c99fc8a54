// Keeps the last API error of a form so that its messages show beside the fields they name
// (`:error="fieldError('customer.phone')"` on an el-form-item); what no field of the form shows
// becomes a message. Call it in a component's setup.
import { ref } from "vue";
import { useI18n } from "vue-i18n";
import { ApiError } from "@/api";

// shownFields: the fields the form has an input for; an error naming one of them or a part of one
// ("lines" covers "lines[0].sku") is shown beside that input. Forms that decide this themselves
// call adopt() instead of report() and may leave it empty.
export function useFieldErrors(shownFields: readonly string[] = []) {
  const { t } = useI18n();
  const failure = ref<ApiError | null>(null);

  // The message for this field or for any part of it.
  function fieldError(field: string): string {
    return failure.value?.fieldMessage(field) ?? "";
  }

  // Only a message naming exactly this field, not one of its parts.
  function exactFieldError(field: string): string {
    return failure.value?.fields.find((f) => f.field === field)?.message ?? "";
  }

  function clear(): void {
    failure.value = null;
  }

  // Shows a refused request: beside the shown fields it names, otherwise as a message
  // (the shell's "forbidden" for a 403; fallback when the error says nothing).
  function report(error: unknown, fallback?: string): void {
    failure.value = error instanceof ApiError ? error : null;
    if (shownFields.some((field) => fieldError(field))) return;
    if (error instanceof ApiError && error.status === 403) ElMessage.error(t("app.forbidden"));
    else ElMessage.error(error instanceof Error && error.message ? error.message : (fallback ?? t("app.failed")));
  }

  // Keeps an ApiError for fieldError() and answers whether the caller shows some field of it
  // beside its input; the caller decides what to show otherwise.
  function adopt(error: unknown, shows: (field: string) => boolean): boolean {
    if (!(error instanceof ApiError)) return false;
    failure.value = error;
    return error.fields.some((f) => shows(f.field));
  }

  return { failure, fieldError, exactFieldError, clear, report, adopt };
}
