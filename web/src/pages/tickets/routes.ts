import type { AreaRoutes } from "@/router";
import { Service } from "@element-plus/icons-vue";

export const routes: AreaRoutes["routes"] = [
  { path: "tickets", component: () => import("./TicketsPage.vue") },
  { path: "tickets/:id(\\d+)", component: () => import("./TicketDetail.vue"), props: true },
];

export const menu: AreaRoutes["menu"] = [
  { path: "/tickets", titleKey: "tickets.title", icon: Service, order: 75, permission: "read" },
];
