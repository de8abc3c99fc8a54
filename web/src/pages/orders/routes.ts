import type { AreaRoutes } from "@/router";
import { List } from "@element-plus/icons-vue";
import { can } from "@/session";

export const routes: AreaRoutes["routes"] = [
  { path: "orders", component: () => import("./OrdersPage.vue") },
  {
    path: "orders/new",
    component: () => import("./NewOrderPage.vue"),
    beforeEnter: () => (can("create_orders") ? true : "/orders"),
  },
  { path: "orders/:id(\\d+)", component: () => import("./OrderDetailPage.vue") },
];

export const menu: AreaRoutes["menu"] = [
  { path: "/orders", titleKey: "orders.title", icon: List, order: 20, permission: "read" },
];
