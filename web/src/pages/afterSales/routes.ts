import type { AreaRoutes } from "@/router";
import { RefreshLeft } from "@element-plus/icons-vue";

export const routes: AreaRoutes["routes"] = [
  { path: "after-sales", component: () => import("./AfterSalesPage.vue") },
  { path: "after-sales/returns/:id(\\d+)", component: () => import("./ReturnDetail.vue"), props: true },
];

export const menu: AreaRoutes["menu"] = [
  { path: "/after-sales", titleKey: "afterSales.title", icon: RefreshLeft, order: 70, permission: "read" },
];
