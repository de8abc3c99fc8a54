#include "http/import_rows.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>

#include "domain/order_rules.h"
#include "domain/text.h"
#include "http/json_input.h"

namespace depot::http {

namespace {

// Scan times in files come as RFC 3339 or as spreadsheets write them, "2026-11-23 14:05[:06]",
// which is China time.
std::optional<Instant> spreadsheet_instant(std::string_view text) {
  text = trimmed(text);
  if (std::optional<Instant> exact = parse_instant(text)) return exact;
  std::string iso(text);
  if (iso.size() == 16) iso += ":00";
  if (iso.size() != 19 || iso[10] != ' ') return std::nullopt;
  iso[10] = 'T';
  std::optional<Instant> as_utc = parse_instant(iso + "Z");
  if (!as_utc) return std::nullopt;
  return *as_utc - std::chrono::hours(8);
}

}  // namespace

std::vector<ImportRow> read_import_rows(const std::vector<CsvRow>& records) {
  static constexpr std::string_view kColumns[] = {"order_no", "carrier", "tracking_no", "sku",
                                                  "quantity"};
  std::vector<ImportRow> rows;
  std::size_t first = 0;
  if (!records.empty() && !records[0].fields.empty()) {
    if (ascii_lower(trimmed(records[0].fields[0])) == "order_no") first = 1;
  }
  for (std::size_t r = first; r < records.size(); ++r) {
    const CsvRow& record = records[r];
    // Spreadsheets save rows that were merely formatted as ",,,,": they hold nothing to ship.
    if (std::all_of(record.fields.begin(), record.fields.end(),
                    [](const std::string& field) { return trimmed(field).empty(); })) {
      continue;
    }
    ImportRow row;
    row.line = static_cast<std::int64_t>(record.line);
    auto fail = [&](std::string column, std::string message) {
      if (row.outcome == RowOutcome::failed) return;
      row.outcome = RowOutcome::failed;
      row.column = std::move(column);
      row.message = std::move(message);
    };
    std::vector<std::string> f = record.fields;
    if (f.size() != 3 && f.size() != 5) {
      fail(f.size() == 4 ? "quantity" : "",
           "expected 3 columns (order_no,carrier,tracking_no) or 5 (…,sku,quantity), found " +
               std::to_string(f.size()));
    }
    f.resize(5);
    for (std::size_t c = 0; c < 3; ++c) {
      if (trimmed(f[c]).empty()) fail(std::string(kColumns[c]), "is empty");
      if (f[c].size() > 64) fail(std::string(kColumns[c]), "is longer than 64 bytes");
    }
    row.order_no = trimmed(f[0]);
    row.carrier = trimmed(f[1]);
    row.tracking_no = trimmed(f[2]);
    row.sku = trimmed(f[3]);
    std::string_view quantity = trimmed(f[4]);
    if (!row.sku.empty() || !quantity.empty()) {
      if (!is_valid_sku(row.sku)) fail("sku", "is not a SKU");
      std::int64_t q = 0;
      auto [end, ec] = std::from_chars(quantity.data(), quantity.data() + quantity.size(), q);
      if (ec != std::errc() || end != quantity.data() + quantity.size() || q <= 0 ||
          q > kMaxLineQuantity) {
        fail("quantity", "must be a whole number from 1 to " + std::to_string(kMaxLineQuantity));
      }
      row.quantity = q;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<CheckpointRow> read_checkpoint_rows(const std::vector<CsvRow>& records) {
  std::vector<CheckpointRow> rows;
  std::size_t first = 0;
  if (!records.empty() && !records[0].fields.empty() &&
      ascii_lower(trimmed(records[0].fields[0])) == "tracking_no") {
    first = 1;
  }
  for (std::size_t r = first; r < records.size(); ++r) {
    const std::vector<std::string>& f = records[r].fields;
    if (std::all_of(f.begin(), f.end(), [](const std::string& x) { return trimmed(x).empty(); })) {
      continue;
    }
    CheckpointRow row;
    row.line = static_cast<std::int64_t>(records[r].line);
    if (f.size() != 4 && f.size() != 5) {
      row.column = f.size() < 4 ? "at" : "location";
      row.message = "expected 4 columns (tracking_no,status,text,at) or 5 (…,location), found " +
                    std::to_string(f.size());
      rows.push_back(std::move(row));
      continue;
    }
    row.tracking_no = trimmed(f[0]);
    row.checkpoint.status = trimmed(f[1]);
    row.checkpoint.text = f[2];
    row.checkpoint.at = spreadsheet_instant(f[3]);
    if (f.size() == 5) row.checkpoint.location = f[4];
    if (row.tracking_no.empty() || row.tracking_no.size() > 64) {
      row.column = "tracking_no";
      row.message = "must be 1-64 bytes";
    } else if (!row.checkpoint.at) {
      row.column = "at";
      row.message = "must be a time like 2026-11-23 14:05 (China time) or RFC 3339";
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace depot::http
