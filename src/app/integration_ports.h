#pragma once
// The store's interfaces for inbound platform orders (SPEC INT-2): each connection's platform,
// name and the secret its webhooks are signed with, and the rows of bulk order imports (their jobs
// are ImportJob rows of kind orders, app/shipping_ports.h). ReadTx and WriteTx (app/ports.h)
// include them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/shipping_ports.h"
#include "domain/time.h"

namespace depot {

struct Integration {
  std::int64_t id = 0;
  std::string platform;  // "generic", "shopify", …
  std::string name;
  std::string secret;  // signs the platform's webhooks (HMAC-SHA256); never shown after creation
  // Where shipments of the connection's orders are written back ("" for nowhere): a generic
  // connection's callback URL, or a Shopify shop's base URL.
  std::string callback_url;
  // Shopify's Admin API access token for the fulfillment call ("" when unset); never shown.
  std::string access_token;
  Instant created_at;
};

// One row of a bulk order file, as read: one line of one order. Rows with the same platform and
// external_no are one order; its customer, address and payment are those of its first row.
// Money in minor units; `line` is the row's line in the file.
struct OrderImportRow {
  std::int64_t line = 0;
  std::string platform;
  std::string external_no;
  std::string customer_name;
  std::string phone;
  std::string email;
  std::string province;
  std::string city;
  std::string district;
  std::string detail;
  std::string postcode;
  std::string sku;
  std::int64_t quantity = 0;
  std::int64_t unit_price = 0;
  bool paid = false;
  std::string notes;
  RowOutcome outcome = RowOutcome::pending;
  std::string column;  // the column at fault when failed
  std::string message;
};

class IntegrationReads {
 public:
  virtual ~IntegrationReads() = default;
  virtual std::vector<Integration> integrations() = 0;
  virtual std::optional<Integration> find_integration(std::int64_t id) = 0;
  // The connection that created the order, if one did and still exists.
  virtual std::optional<Integration> integration_of_order(std::int64_t order_id) = 0;
  // The platform's own id of an order a connection created (Shopify's numeric order id), ""
  // when the platform gave none or no connection created the order.
  virtual std::string platform_order_id(std::int64_t order_id) = 0;
  // Rows of an order import by position (1-based seq), those after `after_seq`.
  virtual std::vector<std::pair<std::int64_t, OrderImportRow>> order_import_rows(
      std::int64_t import_id, std::int64_t after_seq, int limit) = 0;
  virtual std::vector<OrderImportRow> failed_order_import_rows(std::int64_t import_id,
                                                               int limit) = 0;
};

class IntegrationWrites {
 public:
  virtual ~IntegrationWrites() = default;
  // Sets integration.id.
  virtual void insert_integration(Integration& integration) = 0;
  // Writes name, callback_url and access_token.
  virtual void update_integration(const Integration& integration) = 0;
  virtual bool delete_integration(std::int64_t id) = 0;
  // Records that the connection created the order (only orders a connection created have one),
  // with the platform's id of it ("" when it gave none).
  virtual void link_integration_order(std::int64_t order_id, std::int64_t integration_id,
                                      const std::string& platform_order_id) = 0;
  // Stores a job of kind orders with its rows; returns its id.
  virtual std::int64_t insert_order_import(const ImportJob& job,
                                           const std::vector<OrderImportRow>& rows) = 0;
  virtual void record_order_import_row(std::int64_t import_id, std::int64_t seq,
                                       const OrderImportRow& row) = 0;
};

}  // namespace depot
