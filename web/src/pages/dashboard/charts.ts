// The options of the dashboard's four charts, built from the dashboard's answer. Labels come
// through the caller's t() and numbers through format.ts, so a chart speaks the console's locale.
import type { EChartsCoreOption } from "echarts/core";
import { count, money, percent } from "@/format";
import type { Dashboard, StatusCounts } from "./types";

type Translate = (key: string, values?: Record<string, unknown>) => string;

const kBlue = "#3b82f6";
const kGreen = "#10b981";
const kRed = "#ef4444";
const kAmber = "#f59e0b";

function shortDate(day: string): string {
  return day.slice(5); // "2026-11-24" → "11-24": the year is in the range picker
}

export function ordersPerDay(d: Dashboard, t: Translate): EChartsCoreOption {
  return {
    tooltip: {
      trigger: "axis",
      formatter: (params: { axisValue: string; seriesIndex: number; value: number; marker: string; seriesName: string }[]) => {
        const lines = params.map((p) => {
          const value = p.seriesIndex === 0 ? count(p.value) : money(p.value, d.currency);
          return `${p.marker}${p.seriesName}: ${value}`;
        });
        return [params[0]?.axisValue ?? "", ...lines].join("<br/>");
      },
    },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: d.orders_per_day.map((day) => shortDate(day.date)) },
    yAxis: [
      { type: "value", name: t("dashboard.charts.orders"), minInterval: 1 },
      {
        type: "value",
        name: t("dashboard.charts.gmv"),
        axisLabel: { formatter: (v: number) => money(v, d.currency).replace(/\.00$/, "") },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: t("dashboard.charts.orders"),
        type: "bar",
        data: d.orders_per_day.map((day) => day.orders),
        itemStyle: { color: kBlue },
      },
      {
        name: t("dashboard.charts.gmv"),
        type: "line",
        yAxisIndex: 1,
        smooth: true,
        data: d.orders_per_day.map((day) => day.gmv),
        itemStyle: { color: kAmber },
      },
    ],
  };
}

// How far the orders created in the range have come: each stage counts the orders at it or past
// it. Held and cancelled orders left the path and are counted beside the funnel, not in it.
export function funnelStages(s: StatusCounts): { key: string; value: number }[] {
  const completed = s.completed;
  const delivered = completed + s.delivered;
  const shipped = delivered + s.shipped + s.partially_shipped;
  const paid = shipped + s.awaiting_shipment + s.on_hold;
  const created = paid + s.pending_payment + s.cancelled;
  return [
    { key: "created", value: created },
    { key: "paid", value: paid },
    { key: "shipped", value: shipped },
    { key: "delivered", value: delivered },
    { key: "completed", value: completed },
  ];
}

export function funnel(d: Dashboard, t: Translate): EChartsCoreOption {
  const stages = funnelStages(d.status_counts);
  const top = Math.max(stages[0]?.value ?? 0, 1);
  return {
    tooltip: {
      trigger: "item",
      formatter: (p: { name: string; value: number }) =>
        `${p.name}: ${count(p.value)} (${percent(p.value / top)})`,
    },
    series: [
      {
        type: "funnel",
        sort: "none",
        left: "10%",
        right: "10%",
        top: 8,
        bottom: 8,
        min: 0,
        max: top,
        minSize: "30%",
        gap: 2,
        label: {
          position: "inside",
          formatter: (p: { name: string; value: number }) => `${p.name} ${count(p.value)}`,
        },
        data: stages.map((stage, i) => ({
          name: t(`dashboard.funnel.${stage.key}`),
          value: stage.value,
          itemStyle: { color: [kBlue, "#6366f1", "#8b5cf6", kGreen, "#059669"][i] },
        })),
      },
    ],
  };
}

export function notificationSuccess(d: Dashboard, t: Translate): EChartsCoreOption {
  const channels = d.notifications.map((n) => t(`dashboard.channel.${n.channel}`));
  return {
    tooltip: {
      trigger: "axis",
      formatter: (params: { dataIndex: number }[]) => {
        const n = d.notifications[params[0]?.dataIndex ?? 0];
        if (!n) return "";
        return [
          channels[params[0]?.dataIndex ?? 0],
          `${t("dashboard.charts.succeeded")}: ${count(n.succeeded)}`,
          `${t("dashboard.charts.failed")}: ${count(n.failed)}`,
          `${t("dashboard.charts.successRate")}: ${percent(n.success_rate)}`,
        ].join("<br/>");
      },
    },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: channels },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      {
        name: t("dashboard.charts.succeeded"),
        type: "bar",
        stack: "outcome",
        data: d.notifications.map((n) => n.succeeded),
        itemStyle: { color: kGreen },
        label: {
          show: true,
          position: "insideTop",
          formatter: (p: { dataIndex: number }) => percent(d.notifications[p.dataIndex]?.success_rate),
        },
      },
      {
        name: t("dashboard.charts.failed"),
        type: "bar",
        stack: "outcome",
        data: d.notifications.map((n) => n.failed),
        itemStyle: { color: kRed },
      },
    ],
  };
}

export function carrierTransit(d: Dashboard, t: Translate): EChartsCoreOption {
  return {
    tooltip: {
      trigger: "axis",
      formatter: (params: { dataIndex: number }[]) => {
        const c = d.carriers[params[0]?.dataIndex ?? 0];
        if (!c) return "";
        return [
          c.carrier,
          `${t("dashboard.charts.transitHours")}: ${c.average_transit_hours ?? "—"}`,
          `${t("dashboard.charts.delivered")}: ${count(c.delivered)}`,
        ].join("<br/>");
      },
    },
    grid: { left: 8, right: 40, top: 8, bottom: 32, containLabel: true },
    xAxis: { type: "value", name: t("dashboard.charts.transitHours"), nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "category", data: d.carriers.map((c) => c.carrier), inverse: true },
    series: [
      {
        type: "bar",
        data: d.carriers.map((c) => c.average_transit_hours),
        itemStyle: { color: kBlue },
        label: { show: true, position: "right" },
      },
    ],
  };
}
