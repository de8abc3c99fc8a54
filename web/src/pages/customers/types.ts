// Repurchase predictions (RPT-3): GET /api/v1/customers/repurchase-due and
// GET /api/v1/customers/{phone}/repurchase.

export interface RepurchasePrediction {
  sku: string;
  purchases: number;
  interval_days: number;
  last_purchase_at: string;
  expected_at: string;
  confidence: number;
}

export interface RepurchaseDue extends RepurchasePrediction {
  phone: string;
}

export interface RepurchaseDueList {
  items: RepurchaseDue[];
  total: number;
}

export interface CustomerRepurchase {
  phone: string;
  items: RepurchasePrediction[];
}
