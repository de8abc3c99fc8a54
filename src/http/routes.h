#pragma once
// The API's routes, by area. Handlers translate between HTTP and the use cases and hold no
// business rule of their own.

#include <boost/asio/thread_pool.hpp>

#include <string>

#include "app/audit.h"
#include "app/batch_shipping.h"
#include "app/channel_accounts.h"
#include "app/export_service.h"
#include "app/feedback_service.h"
#include "app/forecast_service.h"
#include "app/integration_service.h"
#include "app/inventory_service.h"
#include "app/merchant_service.h"
#include "app/metrics.h"
#include "app/notification_service.h"
#include "app/order_imports.h"
#include "app/order_service.h"
#include "app/print_service.h"
#include "app/product_images.h"
#include "app/public_tracking.h"
#include "app/refund_service.h"
#include "app/report_service.h"
#include "app/return_service.h"
#include "app/rule_service.h"
#include "app/session_service.h"
#include "app/shipment_imports.h"
#include "app/shipping_service.h"
#include "app/ticket_service.h"
#include "app/tracking_service.h"
#include "app/user_service.h"
#include "app/waybill_accounts.h"
#include "http/router.h"

namespace depot::http {

void add_order_routes(Router& router, OrderService& orders);
void add_inventory_routes(Router& router, InventoryService& inventory);
// Uploads of product images (multipart, a part named `file`).
void add_product_image_routes(Router& router, ProductImages& images);
// Platform connections, the platforms' signed order webhooks, and bulk order imports (INT-2).
void add_integration_routes(Router& router, IntegrationService& integrations,
                            OrderImports& order_imports);
// Shipments, release of held orders, reminders, bulk imports, carriers.
void add_shipping_routes(Router& router, ShippingService& shipping, ShipmentImports& imports);
// Batch shipping with electronic waybills, its PDF, and one order's packing slip.
void add_batch_routes(Router& router, BatchShipping& batches, PrintService& print);
// Rules, their dry run, blacklists and the geocoder account.
void add_rule_routes(Router& router, RuleService& rules);
// Channel accounts, the notification log and resends, SMS delivery reports, templates and their
// preview, and the sandbox inbox.
void add_notification_routes(Router& router, ChannelAccounts& accounts,
                             NotificationService& notifications);
// The tracking aggregator's account, order and parcel tracking, checkpoints by hand and by CSV,
// and the aggregator's pushes.
void add_tracking_routes(Router& router, TrackingService& tracking);
// The electronic-waybill account with the aggregator (PUT/GET /api/v1/carriers/kuaidi100/waybill).
void add_waybill_routes(Router& router, WaybillAccounts& accounts);
// The customer's tracking page (HTML): by signed link, by order number and phone digits (at most
// `guesses` allows per client address), and the delivery feedback posted from it.
void add_tracking_page_routes(Router& router, PublicTracking& tracking, FeedbackService& feedback,
                              RateLimiter& guesses);
// Customer-service tickets and their comments.
void add_ticket_routes(Router& router, TicketService& tickets);
// The audit log: GET /api/v1/audit?object=&cursor=&limit=.
void add_audit_routes(Router& router, AuditLog& audit);
// After-sales: returns and exchanges, refunds, delivery feedback and its summary, complaints.
void add_after_sales_routes(Router& router, ReturnService& returns, RefundService& refunds,
                            FeedbackService& feedback);
// Reports: the dashboard, computed on `pool` so that a year of figures never holds a request
// thread.
void add_report_routes(Router& router, ReportService& reports, boost::asio::thread_pool& pool);
// Forecasts and reorder advice, the replenishment list, repurchase predictions, shipping advice.
// The forecasts, the replenishment list and the repurchase list fit models over histories, so
// they run on `pool`.
void add_forecast_routes(Router& router, ForecastService& forecasts,
                         boost::asio::thread_pool& pool);
// The console's session (POST/GET/DELETE /api/v1/session), the owner's users and API keys, and
// the division tree of the address picker. Blocking use cases run on `pool`.
void add_access_routes(Router& router, AccessService& access, UserService& users,
                       SessionService& sessions, boost::asio::thread_pool& pool);
// Health, readiness, the API document and page, settings, the event feed, media.
void add_system_routes(Router& router, MerchantService& merchant, InventoryService& inventory,
                       Store& store, const std::string& web_root);
// GET /metrics (Prometheus text): open, or only with `Authorization: Bearer <bearer_token>` when
// the token is not empty.
void add_metrics_routes(Router& router, const metrics::Registry& registry,
                        std::string bearer_token);

// Exports of orders, the ledger and notifications (CSV, XLSX): answered with the file when it
// holds at most `inline_rows` rows, else 202 with a job; the jobs and their downloads.
void add_export_routes(Router& router, ExportService& exports, std::int64_t inline_rows);

// 204 with no body: a deletion done.
inline Response no_content() { return Response{204, "application/json", "", {}}; }

// A query parameter's text, or "" when it is absent.
inline std::string query_text(const Request& request, const char* name) {
  auto found = request.query.find(name);
  return found == request.query.end() ? std::string() : found->second;
}

// The query of an order's list paged by id, newest first: `order_id` (0: any order), `cursor`
// (the last id of the previous page, 0 for the first) and `limit` (judged by the use case).
struct OrderIdPage {
  std::int64_t order_id = 0;
  std::int64_t before_id = 0;
  int limit = 50;
};
Result<OrderIdPage> order_id_page(const Request& request);

// The cursor of the page after `items`: the last id of a full page, "" after the last page.
template <class T>
std::string next_cursor(const std::vector<T>& items, int limit) {
  if (items.empty() || static_cast<int>(items.size()) < limit) return {};
  return std::to_string(items.back().id);
}

// The numeric {id} of a path, or a 404 naming `what` ("order 12x was not found").
Result<std::int64_t> id_param(const Request& request, std::string_view what);

// The version an edit names in If-Match ("3", "\"3\"" or W/"3"): 428 when missing.
Result<std::int64_t> expected_version(const Request& request);

}  // namespace depot::http
