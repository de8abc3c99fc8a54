// Deletes something after the user confirms it: a warning box (message, title, the confirming
// button's text — app.confirm unless given), the DELETE, then `done` as a success message. An
// error shows as a message. Call it in a component's setup.
import { useI18n } from "vue-i18n";
import { api } from "@/api";

export interface DeleteQuestion {
  message: string;
  title: string;
  confirm?: string;
  done: string;
}

export function useConfirmedDelete(): (path: string, question: DeleteQuestion) => Promise<boolean> {
  const { t } = useI18n();
  // Whether it was deleted: false when the user cancelled or the request failed.
  return async (path, question) => {
    try {
      await ElMessageBox.confirm(question.message, question.title, {
        type: "warning",
        confirmButtonText: question.confirm ?? t("app.confirm"),
        cancelButtonText: t("app.cancel"),
      });
    } catch {
      return false;
    }
    try {
      await api.delete(path);
      ElMessage.success(question.done);
      return true;
    } catch (error) {
      ElMessage.error(error instanceof Error && error.message ? error.message : t("app.failed"));
      return false;
    }
  };
}
