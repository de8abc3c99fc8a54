// A SKU's demand forecast and reorder advice (GET /api/v1/forecast/{sku}, RPT-3), and the option
// of its chart: the last four weeks sold, then the forecast.
import type { EChartsCoreOption } from "echarts/core";
import { currentLocale } from "@/i18n";

export interface DailyDemand {
  date: string;
  demand: number;
}

export interface ForecastError {
  mase: number | null;
  smape: number | null;
}

export interface SkuForecast {
  sku: string;
  daily: DailyDemand[];
  history: DailyDemand[];
  model: string;
  error: ForecastError | null;
  baseline_error: ForecastError | null;
  daily_sigma: number;
  history_days: number;
  zero_share: number;
  available: number;
  lead_days: number;
  review_days: number;
  service_level: number;
  mean_daily_demand: number;
  lead_time_demand: number;
  safety_stock: number;
  reorder_point: number;
  suggested_quantity: number;
  days_of_cover: number | null;
  reorder_now: boolean;
}

const kHistoryShown = 28;

// Forecast figures are fractional units or days; one decimal is as precise as they are.
export function decimal(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return new Intl.NumberFormat(currentLocale(), { maximumFractionDigits: 1 }).format(value);
}

export function forecastChart(
  forecast: SkuForecast,
  names: { sold: string; forecast: string },
): EChartsCoreOption {
  const history = forecast.history.slice(-kHistoryShown);
  const days = [...history, ...forecast.daily].map((d) => d.date.slice(5)); // "11-24": the year is obvious
  // The forecast line starts on the last day sold, so that the two lines join.
  const lastSold = history.length > 0 ? [...Array(history.length - 1).fill(null), history[history.length - 1].demand] : [];
  return {
    tooltip: {
      trigger: "axis",
      valueFormatter: (value: number | null) => decimal(value),
    },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: days, boundaryGap: false },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      {
        name: names.sold,
        type: "line",
        data: history.map((d) => d.demand),
        showSymbol: false,
        itemStyle: { color: "#3b82f6" },
      },
      {
        name: names.forecast,
        type: "line",
        data: [...lastSold, ...forecast.daily.map((d) => Number(d.demand.toFixed(2)))],
        showSymbol: false,
        lineStyle: { type: "dashed" },
        itemStyle: { color: "#f59e0b" },
      },
    ],
  };
}
