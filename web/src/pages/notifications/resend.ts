// Resending a notification (POST /api/v1/notifications/{id}/resend): after a confirmation, a new
// delivery of the same message is made, due now.
import { useI18n } from "vue-i18n";
import { api, ApiError } from "@/api";
import { can } from "@/session";
import type { DeliveryStatus, Notification } from "./types";

export function useResend() {
  const { t } = useI18n();

  function canResend(status: DeliveryStatus): boolean {
    return can("change_orders") && status !== "queued" && status !== "sending";
  }

  async function resend(id: number): Promise<Notification | null> {
    try {
      await ElMessageBox.confirm(t("notifications.log.resendConfirm"), t("notifications.log.resend"), {
        confirmButtonText: t("app.confirm"),
        cancelButtonText: t("app.cancel"),
      });
    } catch {
      return null;
    }
    try {
      const created = await api.post<Notification>(`/api/v1/notifications/${id}/resend`);
      ElMessage.success(t("notifications.log.resent", { id: created.id }));
      return created;
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) ElMessage.error(t("notifications.log.cannotResend"));
      else if (error instanceof ApiError && error.status === 403) ElMessage.error(t("app.forbidden"));
      else ElMessage.error(error instanceof Error ? error.message : t("app.failed"));
      return null;
    }
  }

  return { canResend, resend };
}
