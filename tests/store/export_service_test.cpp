// Exports as jobs on the SQLite store (RPT-2): the rows of whole local days and no others, paged
// by a cursor that survives equal creation times, contact details as the role may see them
// (SEC-3), jobs that settle for a waiting caller, limits, failures and expiry.
#include "app/export_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/access_service.h"
#include "app/inventory_service.h"
#include "app/order_service.h"
#include "exports/csv/csv_table_writer.h"
#include "exports/xlsx/xlsx_table_writer.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/export_directory.h"
#include "store/files/media_directory.h"
#include "support/test_stores.h"
#include "support/test_support.h"

namespace depot {
namespace {

using namespace std::chrono;
using testing::wait;

Instant utc(int y, int m, int d, int hh, int mm, int ss, int ms = 0) {
  return Instant(sys_days(year(y) / m / d) + hours(hh) + minutes(mm) + seconds(ss) +
                 milliseconds(ms));
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::string text = bytes.str();
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find("\r\n", start)) != std::string::npos; start = end + 2) {
    lines.push_back(text.substr(start, end - start));
  }
  return lines;
}

class ExportServiceTest : public ::testing::TestWithParam<testing::StoreKind> {
 protected:
  ExportServiceTest() { make_service(csv_factory()); }

  static TableWriterFactory csv_factory() {
    return [](const std::string& path) { return std::make_unique<exports::CsvTableWriter>(path); };
  }

  void make_service(TableWriterFactory csv) {
    exports = std::make_unique<ExportService>(
        store, opened->reports(), clock, files, std::move(csv),
        [](const std::string& path) { return std::make_unique<exports::XlsxTableWriter>(path); },
        ExportOptions{.page_rows = 2,
                      .unfinished_per_merchant = 2,
                      .kept_per_merchant = 3,
                      .keep_for = hours(1)});
  }

  Actor key(const std::string& slug, Role role) {
    auto created = access.create_key(slug, role);
    EXPECT_TRUE(created.ok());
    return *access.authenticate(created->key);
  }

  void add_product(const Actor& actor, const std::string& sku) {
    Product p;
    p.sku = sku;
    p.name = "Product " + sku;
    p.price = 100;
    ASSERT_OK(wait<Product>([&](auto done) { inventory.create_product(actor, p, done); }));
    ReceiveCommand receipt;
    receipt.sku = sku;
    receipt.quantity = 1000;
    ASSERT_OK(wait<StockLevel>([&](auto done) { inventory.receive(actor, receipt, done); }));
  }

  Order order_at(const Actor& actor, Instant at, const std::string& sku = "A-1") {
    clock.set(at);
    CreateOrderCommand command;
    command.draft.lines = {{sku, 2, 1050}};
    command.draft.customer = {"张三", "13800138000", "zhang@example.com", "", "", {}};
    command.draft.shipping_address = {"浙江省", "杭州市", "西湖区", "文三路 1 号",
                                      "310000", {},       {},       {}};
    auto created = wait<CreatedOrder>([&](auto done) { orders.create(actor, command, done); });
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created->order;
  }

  void run_all() {
    while (exports->run_step()) {
    }
  }

  // The finished export's CSV lines, its header first.
  std::vector<std::string> csv_of(const Actor& actor, std::int64_t id) {
    Result<ExportDownload> download = exports->download(actor, id);
    EXPECT_TRUE(download.ok()) << download.error().message;
    if (!download.ok()) return {};
    return lines_of(download->path);
  }

  testing::TempDir dir;
  testing::FakeClock clock;
  testing::StoreLocation location{GetParam(), dir};
  std::unique_ptr<cli::OpenStore> opened = location.open();
  Store& store = opened->store();
  files::MediaDirectory media{dir.file("media")};
  files::ExportDirectory files{dir.file("exports")};
  AccessService access{store, clock};
  rules::LuaRuleEngine rule_engine;
  RuleBook rule_book{rule_engine};
  Verifier verifier{store, rule_book, nullptr};
  OrderService orders{store, clock, verifier};
  InventoryService inventory{store, clock, media};
  std::unique_ptr<ExportService> exports;
};

TEST_P(ExportServiceTest, ExportsTheOrdersOfWholeLocalDaysOldestFirst) {
  Actor alpha = key("alpha", Role::owner);
  Actor beta = key("beta", Role::owner);
  add_product(alpha, "A-1");
  add_product(beta, "A-1");
  // The merchant's day is UTC+8: 2026-01-10 and 2026-01-11 run from 01-09 16:00 to 01-11 16:00.
  order_at(alpha, utc(2026, 1, 9, 15, 59, 59, 999));  // 01-09 23:59:59.999 local: before
  Order first = order_at(alpha, utc(2026, 1, 9, 16, 0, 0));
  // Three orders at the same instant: pages of two must not lose or repeat one.
  Order second = order_at(alpha, utc(2026, 1, 10, 12, 0, 0));
  Order third = order_at(alpha, utc(2026, 1, 10, 12, 0, 0));
  Order fourth = order_at(alpha, utc(2026, 1, 10, 12, 0, 0));
  Order last = order_at(alpha, utc(2026, 1, 11, 15, 59, 59, 999));
  order_at(alpha, utc(2026, 1, 11, 16, 0, 0));  // 01-12 00:00 local: after
  order_at(beta, utc(2026, 1, 10, 12, 0, 0));   // another merchant's

  Result<ExportJob> job =
      exports->start(alpha, {ExportKind::orders, ExportFormat::csv, "2026-01-10", "2026-01-11"});
  ASSERT_OK(job);
  EXPECT_EQ(job->status, ExportStatus::queued);
  EXPECT_EQ(job->file_name, "orders-2026-01-10-2026-01-11.csv");
  run_all();
  ASSERT_OK(exports->find(alpha, job->id));
  ExportJob done = *exports->find(alpha, job->id);
  EXPECT_EQ(done.status, ExportStatus::done);
  EXPECT_EQ(done.rows_done, 5);
  EXPECT_EQ(done.rows_total, 5);

  std::vector<std::string> lines = csv_of(alpha, job->id);
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0],
            "\xEF\xBB\xBF"
            "order_id,order_no,created_at,status,customer_name,customer_phone,customer_email,"
            "province,city,district,address_detail,postcode,lines,units,total,paid,refunded,"
            "currency,platform,external_no,notes,updated_at");
  std::vector<std::int64_t> ids = {first.id, second.id, third.id, fourth.id, last.id};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(lines[i + 1].substr(0, lines[i + 1].find(',')), std::to_string(ids[i])) << i;
  }
  EXPECT_EQ(lines[1], std::to_string(first.id) + "," + first.order_no +
                          ",2026-01-10 00:00:00,pending_payment,张三,13800138000,"
                          "zhang@example.com,浙江省,杭州市,西湖区,文三路 1 号,310000,A-1 x2,2,"
                          "21.00,0.00,0.00,CNY,,,,2026-01-10 00:00:00");
  EXPECT_EQ(lines[5].substr(lines[5].rfind(',') + 1), "2026-01-11 23:59:59");
}

TEST_P(ExportServiceTest, MasksContactDetailsForRolesThatDoNotNeedThem) {
  Actor owner = key("alpha", Role::owner);
  add_product(owner, "A-1");
  order_at(owner, utc(2026, 1, 10, 4, 0, 0));
  for (Role role : {Role::viewer, Role::operator_, Role::service, Role::owner}) {
    Actor actor = key("alpha", role);
    Result<ExportJob> job =
        exports->start(actor, {ExportKind::orders, ExportFormat::csv, "2026-01-10", "2026-01-10"});
    ASSERT_OK(job);
    run_all();
    std::vector<std::string> lines = csv_of(actor, job->id);
    ASSERT_EQ(lines.size(), 2u);
    bool full = role == Role::owner || role == Role::service;
    EXPECT_EQ(lines[1].find("13800138000") != std::string::npos, full) << to_string(role);
    EXPECT_EQ(lines[1].find("138****8000") != std::string::npos, !full) << to_string(role);
    EXPECT_EQ(lines[1].find("z***@example.com") != std::string::npos, !full) << to_string(role);
    EXPECT_EQ(lines[1].find("文三路") != std::string::npos, full) << to_string(role);
  }
}

TEST_P(ExportServiceTest, ExportsTheLedgerOfEverySkuAndNotificationsWithRecipientsMasked) {
  Actor owner = key("alpha", Role::owner);
  clock.set(utc(2026, 1, 10, 2, 0, 0));
  add_product(owner, "A-1");
  add_product(owner, "B-2");
  Order order = order_at(owner, utc(2026, 1, 10, 3, 0, 0), "B-2");
  clock.set(utc(2026, 1, 10, 3, 0, 0));
  ASSERT_OK(wait<bool>([&](auto done) {
    run_write<bool>(
        store, owner.tenant_id,
        [&](WriteTx& tx) -> Result<bool> {
          Notification sms;
          sms.key = "k-sms";
          sms.channel = ChannelKind::sms;
          sms.recipient = "13800138000";
          sms.event = EventType::shipment_created;
          sms.status = DeliveryStatus::sent;
          sms.created_at = sms.updated_at = clock.now();
          tx.insert_notification(sms);
          Notification hook = sms;
          hook.key = "k-hook";
          hook.channel = ChannelKind::webhook;
          hook.recipient = "https://hooks.example.com/secret-token?x=1";
          tx.insert_notification(hook);
          return true;
        },
        done);
  }));

  Result<ExportJob> ledger =
      exports->start(owner, {ExportKind::ledger, ExportFormat::csv, "2026-01-10", "2026-01-10"});
  ASSERT_OK(ledger);
  run_all();
  std::vector<std::string> movements = csv_of(owner, ledger->id);
  ASSERT_EQ(movements.size(), 4u);  // header, two receipts, one reservation
  auto after_id = [](const std::string& line) { return line.substr(line.find(',') + 1); };
  EXPECT_EQ(after_id(movements[1]),
            "2026-01-10 10:00:00,A-1,main/default,inbound,1000,0,received,," + owner.name);
  EXPECT_EQ(after_id(movements[2]),
            "2026-01-10 10:00:00,B-2,main/default,inbound,1000,0,received,," + owner.name);
  EXPECT_EQ(after_id(movements[3]), "2026-01-10 11:00:00,B-2,main/default,reservation,0,2,order," +
                                        std::to_string(order.id) + "," + owner.name);

  Actor viewer = key("alpha", Role::viewer);
  for (const auto& [actor, phone] : {std::pair{owner, "13800138000"}, {viewer, "138****8000"}}) {
    Result<ExportJob> sent = exports->start(
        actor, {ExportKind::notifications, ExportFormat::csv, "2026-01-10", "2026-01-10"});
    ASSERT_OK(sent);
    run_all();
    std::vector<std::string> rows = csv_of(actor, sent->id);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_NE(rows[1].find(std::string(",") + phone + ","), std::string::npos) << rows[1];
    EXPECT_NE(rows[2].find(",https://hooks.example.com,"), std::string::npos) << rows[2];
    EXPECT_EQ(rows[2].find("secret-token"), std::string::npos) << rows[2];
  }
}

TEST_P(ExportServiceTest, RefusesBadDaysNamingTheField) {
  Actor owner = key("alpha", Role::owner);
  auto refused = [&](std::string from, std::string to) {
    Result<ExportJob> job =
        exports->start(owner, {ExportKind::orders, ExportFormat::csv, from, to});
    EXPECT_FALSE(job.ok());
    if (job.ok()) return std::string();
    EXPECT_EQ(job.error().code, ErrorCode::invalid);
    std::string fields;
    for (const FieldError& f : job.error().fields) fields += f.field + ";";
    return fields;
  };
  EXPECT_EQ(refused("", "2026-01-01"), "from;");
  EXPECT_EQ(refused("2026-01-01", ""), "to;");
  EXPECT_EQ(refused("2026-02-30", "2026-03-01"), "from;");
  EXPECT_EQ(refused("2026-1-01", "x"), "from;to;");
  EXPECT_EQ(refused("2026-01-02", "2026-01-01"), "to;");
  EXPECT_TRUE(exports->list(owner).empty());
}

TEST_P(ExportServiceTest, SettlesAWaiterWhenTheJobEndsOrIsKnownToBeLarge) {
  Actor owner = key("alpha", Role::owner);
  add_product(owner, "A-1");
  for (int i = 0; i < 3; ++i) order_at(owner, utc(2026, 1, 10, 4, 0, i));
  ExportRequest request{ExportKind::orders, ExportFormat::xlsx, "2026-01-10", "2026-01-10"};

  Result<ExportJob> small = exports->start(owner, request);
  ASSERT_OK(small);
  std::optional<Result<ExportJob>> settled;
  exports->when_settled(owner, small->id, 3, [&](Result<ExportJob> job) { settled = job; });
  while (!settled && exports->run_step()) {
  }
  ASSERT_TRUE(settled);
  ASSERT_OK(*settled);
  EXPECT_EQ((*settled)->status, ExportStatus::done);
  EXPECT_EQ(exports->download(owner, small->id)->content_type,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

  Result<ExportJob> large = exports->start(owner, request);
  ASSERT_OK(large);
  settled.reset();
  exports->when_settled(owner, large->id, 2, [&](Result<ExportJob> job) { settled = job; });
  ASSERT_TRUE(exports->run_step());  // the count and the header
  ASSERT_TRUE(settled);
  EXPECT_EQ((*settled)->status, ExportStatus::running);
  EXPECT_EQ((*settled)->rows_total, 3);
  EXPECT_EQ((*settled)->rows_done, 0);
  Result<ExportDownload> early = exports->download(owner, large->id);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::conflict);
  run_all();
  EXPECT_EQ(exports->find(owner, large->id)->status, ExportStatus::done);
}

TEST_P(ExportServiceTest, AJobIsSeenOnlyByTheKeyThatStartedIt) {
  Actor owner = key("alpha", Role::owner);
  Actor other_key = key("alpha", Role::owner);
  Actor other_merchant = key("beta", Role::owner);
  Result<ExportJob> job =
      exports->start(owner, {ExportKind::orders, ExportFormat::csv, "2026-01-10", "2026-01-10"});
  ASSERT_OK(job);
  run_all();
  ASSERT_OK(exports->download(owner, job->id));
  for (const Actor& stranger : {other_key, other_merchant}) {
    EXPECT_EQ(exports->find(stranger, job->id).error().code, ErrorCode::not_found);
    EXPECT_EQ(exports->download(stranger, job->id).error().code, ErrorCode::not_found);
    EXPECT_TRUE(exports->list(stranger).empty());
  }
}

TEST_P(ExportServiceTest, LimitsUnfinishedJobsAndKeepsTheNewestEnded) {
  Actor owner = key("alpha", Role::owner);
  ExportRequest request{ExportKind::orders, ExportFormat::csv, "2026-01-10", "2026-01-10"};
  ASSERT_OK(exports->start(owner, request));
  ASSERT_OK(exports->start(owner, request));
  Result<ExportJob> third = exports->start(owner, request);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::rate_limited);
  run_all();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    Result<ExportJob> job = exports->start(owner, request);
    ASSERT_OK(job);
    ids.push_back(job->id);
    run_all();
  }
  // Three kept: the two first ended jobs made room, their files gone with them.
  std::vector<ExportJob> kept = exports->list(owner);
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].id, ids[2]);
  EXPECT_EQ(kept[2].id, ids[0]);
  std::size_t files_left = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.file("exports"))) {
    (void)entry;
    ++files_left;
  }
  EXPECT_EQ(files_left, 3u);
}

TEST_P(ExportServiceTest, AJobWhoseFileCannotBeWrittenFailsAndSettlesItsWaiter) {
  make_service([this](const std::string&) {
    return std::make_unique<exports::CsvTableWriter>(dir.file("no/such/dir/x.csv"));
  });
  Actor owner = key("alpha", Role::owner);
  Result<ExportJob> job =
      exports->start(owner, {ExportKind::orders, ExportFormat::csv, "2026-01-10", "2026-01-10"});
  ASSERT_OK(job);
  std::optional<Result<ExportJob>> settled;
  exports->when_settled(owner, job->id, 100, [&](Result<ExportJob> j) { settled = j; });
  run_all();
  ASSERT_TRUE(settled);
  EXPECT_EQ((*settled)->status, ExportStatus::failed);
  EXPECT_EQ((*settled)->error, "the export file cannot be written");
  EXPECT_EQ(exports->download(owner, job->id).error().code, ErrorCode::conflict);
}

TEST_P(ExportServiceTest, ForgetsEndedJobsAndTheirFilesAfterTheirTime) {
  Actor owner = key("alpha", Role::owner);
  Result<ExportJob> job =
      exports->start(owner, {ExportKind::ledger, ExportFormat::csv, "2026-01-10", "2026-01-10"});
  ASSERT_OK(job);
  run_all();
  std::string path = exports->download(owner, job->id)->path;
  ASSERT_TRUE(std::filesystem::exists(path));
  clock.advance(minutes(59));
  exports->expire();
  ASSERT_OK(exports->find(owner, job->id));
  clock.advance(minutes(2));
  exports->expire();
  EXPECT_EQ(exports->find(owner, job->id).error().code, ErrorCode::not_found);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_P(ExportServiceTest, ANewServiceRemovesFilesAnEarlierProcessLeft) {
  std::ofstream(dir.file("exports/export-7.csv")) << "left over";
  make_service(csv_factory());
  EXPECT_FALSE(std::filesystem::exists(dir.file("exports/export-7.csv")));
}

INSTANTIATE_TEST_SUITE_P(Stores, ExportServiceTest,
                         ::testing::Values(testing::StoreKind::sqlite,
                                           testing::StoreKind::postgres),
                         testing::store_kind_name);

}  // namespace
}  // namespace depot
