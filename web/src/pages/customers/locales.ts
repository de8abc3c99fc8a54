const zh = {
  customers: {
    title: "客户",
    repurchase: {
      heading: "复购提醒",
      intro: "按历史订单推算，预计在所选天数内会再次购买的客户（最早预计的在前）。",
      within: "预计时间",
      withinDays: "{n} 天内",
      total: "共 {total} 位客户到期，显示 {shown} 条",
      empty: "所选时间内没有预计复购的客户",
      customer: "客户（手机号）",
      sku: "SKU",
      interval: "平常间隔",
      intervalDays: "{n} 天",
      purchases: "购买次数",
      lastPurchase: "上次购买",
      expected: "预计下次购买",
      confidence: "可信度",
      details: "详情",
      drawerTitle: "客户 {phone} 的复购预测",
      drawerEmpty: "此客户没有可预测的复购（同一商品需在两天以上购买过）",
      maskedNote: "您的角色看不到完整手机号，因此只显示这一条预测，无法列出此客户的其他商品。",
    },
  },
};

const en: typeof zh = {
  customers: {
    title: "Customers",
    repurchase: {
      heading: "Due to reorder",
      intro: "Customers expected, from their past orders, to buy again within the chosen days (earliest expected first).",
      within: "Expected within",
      withinDays: "{n} days",
      total: "{total} customers due, {shown} shown",
      empty: "No customer is expected to reorder in this window",
      customer: "Customer (phone)",
      sku: "SKU",
      interval: "Usual interval",
      intervalDays: "{n} days",
      purchases: "Purchases",
      lastPurchase: "Last purchase",
      expected: "Expected next purchase",
      confidence: "Confidence",
      details: "Details",
      drawerTitle: "Repurchase predictions for {phone}",
      drawerEmpty: "No repurchase can be predicted for this customer (a SKU bought on two days or more is needed)",
      maskedNote: "Your role does not see full phone numbers, so only this prediction is shown, not the customer's other products.",
    },
  },
};

export default { "zh-CN": zh, en };
