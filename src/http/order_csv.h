#pragma once
// Rows of a bulk order file (POST /api/v1/orders/import, SPEC INT-2): a header line naming the
// columns, in any order and by their English or Chinese names, then one row per line of an order.
//   external_no 外部订单号   platform 平台        customer_name 收货人   phone 手机   email 邮箱
//   province 省            city 市             district 区           detail 详细地址
//   postcode 邮编          sku 商品编码         quantity 数量          unit_price 单价 (yuan)
//   paid 已付款 (yes/no)   notes 备注
// external_no, customer_name, sku, quantity and unit_price are required columns; an empty
// platform is "csv". What a cell cannot hold is kept as a failed row naming its column. Pure;
// thread-safe.

#include <vector>

#include "app/integration_ports.h"
#include "domain/result.h"
#include "http/csv.h"

namespace depot::http {

// The rows, or 422 naming the column when the header lacks a required one, names one it does not
// know or names one twice.
Result<std::vector<OrderImportRow>> read_order_rows(const std::vector<CsvRow>& records);

}  // namespace depot::http
