// Every route the server mounts is described in the OpenAPI document, and every path the document
// describes is mounted: the interactive API page can never drift from the server.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <set>

#include "app/alert_feed.h"
#include "app/batch_shipping.h"
#include "app/channel_accounts.h"
#include "app/integration_service.h"
#include "app/inventory_service.h"
#include "app/merchant_service.h"
#include "app/notification_service.h"
#include "app/order_imports.h"
#include "app/order_service.h"
#include "app/print_service.h"
#include "app/rule_service.h"
#include "app/shipment_imports.h"
#include "app/shipping_service.h"
#include "app/ticket_service.h"
#include "carriers/kuaidi100/kuaidi100_tracker.h"
#include "carriers/kuaidi100/kuaidi100_waybills.h"
#include "exports/csv/csv_table_writer.h"
#include "exports/xlsx/xlsx_table_writer.h"
#include "http/alert_routes.h"
#include "http/routes.h"
#include "printing/pdf_renderer.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/export_directory.h"
#include "store/files/media_directory.h"
#include "store/sqlite/sqlite_store.h"
#include "support/test_support.h"

namespace depot::embedded {
std::string_view openapi_document();
}  // namespace depot::embedded

namespace depot::http {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Every route the server mounts, with the same services `depot serve` wires.
class MountedApi : public ::testing::Test {
 protected:
  void SetUp() override {
    add_order_routes(router, orders);
    add_inventory_routes(router, inventory);
    add_product_image_routes(router, product_images);
    add_integration_routes(router, integrations, order_imports);
    add_shipping_routes(router, shipping, imports);
    add_rule_routes(router, rules);
    add_system_routes(router, merchant, inventory, store, dir.path());
    add_notification_routes(router, channel_accounts, notifications);
    add_ticket_routes(router, tickets);
    add_audit_routes(router, audit_log);
    add_after_sales_routes(router, returns, refunds, feedback);
    add_tracking_routes(router, tracking);
    add_waybill_routes(router, waybill_accounts);
    add_batch_routes(router, batches, print);
    add_alert_routes(router, alert_feed);
    add_export_routes(router, export_jobs, 10'000);
    add_metrics_routes(router, metrics, "");
    add_forecast_routes(router, forecasts, blocking_pool);
    add_report_routes(router, reports, blocking_pool);
    add_access_routes(router, access, users, sessions, blocking_pool);
  }

  testing::TempDir dir;
  testing::FakeClock clock;
  sqlite::SqliteStore store{dir.file("depot.db")};
  files::MediaDirectory media{dir.file("media")};
  AccessService access{store, clock};
  UserService users{store, clock};
  SessionService sessions{store, clock};
  boost::asio::thread_pool blocking_pool{1};
  rules::LuaRuleEngine rule_engine;
  RuleBook rule_book{rule_engine};
  Verifier verifier{store, rule_book, nullptr};
  OrderService orders{store, clock, verifier};
  InventoryService inventory{store, clock, media};
  // Never called either: no image is uploaded here.
  struct NoImages : ImageInspector {
    Result<ImageFacts> inspect(std::string_view) override {
      return error(ErrorCode::invalid, "no images here");
    }
  } no_images;
  ProductImages product_images{store, clock, media, no_images};
  MerchantService merchant{store, clock};
  ShippingService shipping{store, clock, verifier};
  ShipmentImports imports{store, clock, shipping};
  RuleService rules{store, clock, rule_book};
  ChannelAccounts channel_accounts{store, clock};
  NotificationComposer composer{[](const EventRecord&) { return std::string(); }};
  NotificationService notifications{store, clock, composer};
  TicketService tickets{store, clock};
  AuditLog audit_log{store};
  ReturnService returns{store, clock};
  RefundService refunds{store, clock};
  FeedbackService feedback{store, clock, tickets};
  // Never called: mounting the routes needs the services, not the network.
  net::CurlLoop provider_loop;
  carriers::Kuaidi100Tracker tracker{provider_loop};
  EtaCache etas;
  SiteAddress site;
  TrackingService tracking{store, clock, tracker, etas, site};
  WaybillAccounts waybill_accounts{store, clock};
  carriers::Kuaidi100Waybills waybill_issuer{provider_loop};
  printing::PdfRenderer pdf_renderer;
  PrintService print{store, pdf_renderer};
  files::ExportDirectory label_files{dir.file("labels")};
  BatchShipping batches{store, clock, shipping, waybill_issuer, tracking, print, label_files};
  ForecastService forecasts{store, store, clock, etas};
  ReportService reports{store, store, clock};
  IntegrationService integrations{store, clock, verifier, orders, site};
  OrderImports order_imports{store, clock, integrations};
  AlertFeed alert_feed{store};
  files::ExportDirectory export_files{dir.file("exports")};
  ExportService export_jobs{
      store,
      store,
      clock,
      export_files,
      [](const std::string& path) { return std::make_unique<exports::CsvTableWriter>(path); },
      [](const std::string& path) { return std::make_unique<exports::XlsxTableWriter>(path); }};
  RateLimiter limiter{0, 1};
  metrics::Registry metrics;
  Router router{access, limiter};
  boost::json::object document = boost::json::parse(embedded::openapi_document()).as_object();
};

TEST_F(MountedApi, DocumentsExactlyTheMountedApiRoutes) {
  EXPECT_EQ(std::string(document.at("openapi").as_string()).substr(0, 2), "3.");
  std::set<std::string> documented;
  for (const auto& [path, item] : document.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      if (method == "parameters") continue;
      documented.insert(lower(method) + " " + std::string(path));
    }
  }
  std::set<std::string> mounted;
  for (const auto& route : router.routes()) {
    bool api = route.pattern.rfind("/api/", 0) == 0 || route.pattern == "/healthz" ||
               route.pattern == "/readyz" || route.pattern == "/metrics" ||
               route.pattern.rfind("/media/", 0) == 0;
    if (api) mounted.insert(lower(to_string(route.method)) + " " + route.pattern);
  }
  for (const std::string& route : mounted) {
    EXPECT_TRUE(documented.count(route)) << route << " is mounted but not documented";
  }
  for (const std::string& route : documented) {
    EXPECT_TRUE(mounted.count(route)) << route << " is documented but not mounted";
  }
}

// The role table and each operation's permission are documented as the code enforces them.
TEST_F(MountedApi, DocumentsEveryRoutesPermissionAndTheRoleTable) {
  const boost::json::object& roles =
      document.at("info").as_object().at("x-depot-roles").as_object();
  for (Role role : {Role::owner, Role::operator_, Role::service, Role::viewer}) {
    std::set<std::string> documented;
    for (const auto& p : roles.at(to_string(role)).as_array()) {
      documented.insert(std::string(p.as_string()));
    }
    std::set<std::string> allowed;
    for (Permission permission : kAllPermissions) {
      if (allows(role, permission)) allowed.insert(std::string(to_string(permission)));
    }
    EXPECT_EQ(documented, allowed) << to_string(role);
  }
  const boost::json::object& paths = document.at("paths").as_object();
  for (const auto& route : router.routes()) {
    if (route.access != Access::signed_in) continue;
    const boost::json::value* item = paths.if_contains(route.pattern);
    if (!item) continue;  // the test above reports it
    const boost::json::value* operation =
        item->as_object().if_contains(lower(to_string(route.method)));
    if (!operation) continue;
    const boost::json::value* permission = operation->as_object().if_contains("x-depot-permission");
    ASSERT_NE(permission, nullptr) << route.pattern << " documents no x-depot-permission";
    EXPECT_EQ(permission->as_string(), to_string(route.permission))
        << to_string(route.method) << " " << route.pattern;
  }
}

}  // namespace
}  // namespace depot::http
