// ECharts with only the charts and components the dashboard draws. Import this module only with
// `await import("./echarts")`, so that ECharts stays out of the bundle until a chart is shown.
import { use, init } from "echarts/core";
import { BarChart, FunnelChart, LineChart } from "echarts/charts";
import {
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

use([
  BarChart,
  FunnelChart,
  LineChart,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export { init };
