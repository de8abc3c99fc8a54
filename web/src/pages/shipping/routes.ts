import type { AreaRoutes } from "@/router";
import { Van } from "@element-plus/icons-vue";

export const routes: AreaRoutes["routes"] = [
  { path: "shipping", component: () => import("./ShippingPage.vue") },
];

export const menu: AreaRoutes["menu"] = [
  { path: "/shipping", titleKey: "shipping.title", icon: Van, order: 40, permission: "read" },
];
