// Refunds carry amounts without a currency: they are in the merchant's currency, read once.
import { ref } from "vue";
import { api } from "@/api";

const currency = ref("CNY");
let asked = false;

export function useMerchantCurrency() {
  if (!asked) {
    asked = true;
    api
      .get<{ currency: string }>("/api/v1/settings")
      .then((settings) => (currency.value = settings.currency))
      .catch(() => undefined);
  }
  return currency;
}
