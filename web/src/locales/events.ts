// Names of depot's event types (the outbox, alerts and notification settings), as
// t("events.order.held") for the type "order.held".
const zh = {
  events: {
    order: {
      created: "订单创建",
      edited: "订单修改",
      paid: "订单付款",
      held: "订单拦截",
      released: "订单放行",
      cancelled: "订单取消",
      delivered: "订单签收",
      status_changed: "订单状态变更",
    },
    shipment: {
      created: "已发货",
      due_soon: "即将超时发货",
      overdue: "发货超时",
      escalated: "发货超时升级",
    },
    tracking: {
      out_for_delivery: "派送中",
      delivered: "已签收",
      exception: "物流异常",
      stalled: "物流停滞",
    },
    stock: {
      low: "库存不足",
      received: "入库",
      adjusted: "库存调整",
      transferred: "库存调拨",
      replenished: "补货",
    },
    product: { created: "新建商品" },
    notification: { dead: "通知发送失败" },
    refund: { created: "退款申请", completed: "退款完成" },
    return: { requested: "退货申请", approved: "退货通过", rejected: "退货拒绝", received: "退货入库" },
    ticket: { opened: "新工单" },
  },
};

const en: typeof zh = {
  events: {
    order: {
      created: "Order created",
      edited: "Order edited",
      paid: "Order paid",
      held: "Order held",
      released: "Order released",
      cancelled: "Order cancelled",
      delivered: "Order delivered",
      status_changed: "Order status changed",
    },
    shipment: {
      created: "Shipped",
      due_soon: "Shipping due soon",
      overdue: "Shipping overdue",
      escalated: "Shipping escalated",
    },
    tracking: {
      out_for_delivery: "Out for delivery",
      delivered: "Delivered",
      exception: "Delivery exception",
      stalled: "Tracking stalled",
    },
    stock: {
      low: "Low stock",
      received: "Stock received",
      adjusted: "Stock adjusted",
      transferred: "Stock transferred",
      replenished: "Replenished",
    },
    product: { created: "Product created" },
    notification: { dead: "Notification failed" },
    refund: { created: "Refund requested", completed: "Refund completed" },
    return: { requested: "Return requested", approved: "Return approved", rejected: "Return rejected", received: "Return received" },
    ticket: { opened: "Ticket opened" },
  },
};

export default { "zh-CN": zh, en };
