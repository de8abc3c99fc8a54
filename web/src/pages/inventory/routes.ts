import type { AreaRoutes } from "@/router";
import { Box } from "@element-plus/icons-vue";

export const routes: AreaRoutes["routes"] = [
  { path: "inventory", component: () => import("./InventoryPage.vue") },
  { path: "inventory/products/:sku", component: () => import("./ProductDetailPage.vue"), props: true },
];

export const menu: AreaRoutes["menu"] = [
  { path: "/inventory", titleKey: "inventory.title", icon: Box, order: 30, permission: "read" },
];
