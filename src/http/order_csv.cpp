#include "http/order_csv.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>

#include "domain/order_rules.h"
#include "domain/text.h"
#include "http/platform_orders.h"

namespace depot::http {

namespace {

enum class Column {
  external_no,
  platform,
  customer_name,
  phone,
  email,
  province,
  city,
  district,
  detail,
  postcode,
  sku,
  quantity,
  unit_price,
  paid,
  notes,
};

struct ColumnName {
  Column column;
  std::string_view name;
  std::string_view chinese;
  bool required;
};

constexpr ColumnName kColumns[] = {
    {Column::external_no, "external_no", "外部订单号", true},
    {Column::platform, "platform", "平台", false},
    {Column::customer_name, "customer_name", "收货人", true},
    {Column::phone, "phone", "手机", false},
    {Column::email, "email", "邮箱", false},
    {Column::province, "province", "省", false},
    {Column::city, "city", "市", false},
    {Column::district, "district", "区", false},
    {Column::detail, "detail", "详细地址", false},
    {Column::postcode, "postcode", "邮编", false},
    {Column::sku, "sku", "商品编码", true},
    {Column::quantity, "quantity", "数量", true},
    {Column::unit_price, "unit_price", "单价", true},
    {Column::paid, "paid", "已付款", false},
    {Column::notes, "notes", "备注", false},
};

constexpr std::string_view kDefaultPlatform = "csv";

std::optional<bool> yes_or_no(std::string_view text) {
  std::string lower = ascii_lower(text);
  for (std::string_view yes : {"yes", "y", "true", "1", "是", "已付款"}) {
    if (lower == yes) return true;
  }
  for (std::string_view no : {"", "no", "n", "false", "0", "否", "未付款"}) {
    if (lower == no) return false;
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<OrderImportRow>> read_order_rows(const std::vector<CsvRow>& records) {
  if (records.empty()) return invalid_field("body", "the file holds no rows");
  // Which of depot's columns each of the file's columns is.
  std::vector<const ColumnName*> header;
  for (const std::string& cell : records.front().fields) {
    std::string name = ascii_lower(trimmed(cell));
    auto known = std::find_if(std::begin(kColumns), std::end(kColumns), [&](const ColumnName& c) {
      return c.name == name || c.chinese == name;
    });
    if (known == std::end(kColumns)) {
      return invalid_field(name.empty() ? "body" : name,
                           "is not a column of an order file (line 1 must name the columns)");
    }
    if (std::find(header.begin(), header.end(), &*known) != header.end()) {
      return invalid_field(std::string(known->name), "is named twice in the header");
    }
    header.push_back(&*known);
  }
  for (const ColumnName& column : kColumns) {
    if (column.required && std::find(header.begin(), header.end(), &column) == header.end()) {
      return invalid_field(std::string(column.name), "is a required column");
    }
  }

  std::vector<OrderImportRow> rows;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const CsvRow& record = records[r];
    // Spreadsheets save rows that were merely formatted as ",,,,": they hold no order.
    if (std::all_of(record.fields.begin(), record.fields.end(),
                    [](const std::string& field) { return trimmed(field).empty(); })) {
      continue;
    }
    OrderImportRow row;
    row.line = static_cast<std::int64_t>(record.line);
    row.platform = kDefaultPlatform;
    auto fail = [&](std::string_view column, std::string message) {
      if (row.outcome == RowOutcome::failed) return;
      row.outcome = RowOutcome::failed;
      row.column = std::string(column);
      row.message = std::move(message);
    };
    if (record.fields.size() != header.size()) {
      fail("", "expected " + std::to_string(header.size()) +
                   " columns as the header names, found " + std::to_string(record.fields.size()));
    }
    for (std::size_t c = 0; c < header.size() && c < record.fields.size(); ++c) {
      std::string value(trimmed(record.fields[c]));
      std::string_view name = header[c]->name;
      switch (header[c]->column) {
        case Column::external_no:
          if (value.empty()) fail(name, "is empty");
          row.external_no = std::move(value);
          break;
        case Column::platform:
          if (!value.empty()) row.platform = std::move(value);
          break;
        case Column::customer_name:
          row.customer_name = std::move(value);
          break;
        case Column::phone:
          row.phone = std::move(value);
          break;
        case Column::email:
          row.email = std::move(value);
          break;
        case Column::province:
          row.province = std::move(value);
          break;
        case Column::city:
          row.city = std::move(value);
          break;
        case Column::district:
          row.district = std::move(value);
          break;
        case Column::detail:
          row.detail = std::move(value);
          break;
        case Column::postcode:
          row.postcode = std::move(value);
          break;
        case Column::sku:
          if (!is_valid_sku(value))
            fail(name, "is not a SKU (1-64 letters, digits, '-', '_', '.')");
          row.sku = std::move(value);
          break;
        case Column::quantity: {
          std::int64_t q = 0;
          auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), q);
          if (ec != std::errc() || end != value.data() + value.size() || q <= 0 ||
              q > kMaxLineQuantity) {
            fail(name, "must be a whole number from 1 to " + std::to_string(kMaxLineQuantity));
          }
          row.quantity = q;
          break;
        }
        case Column::unit_price: {
          std::optional<std::int64_t> price = parse_minor_units(value);
          if (!price) fail(name, "must be an amount in yuan such as 12.50");
          row.unit_price = price.value_or(0);
          break;
        }
        case Column::paid: {
          std::optional<bool> paid = yes_or_no(value);
          if (!paid) fail(name, "must be yes or no");
          row.paid = paid.value_or(false);
          break;
        }
        case Column::notes:
          row.notes = std::move(value);
          break;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace depot::http
