#include "cli/demo_data.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <stdexcept>

#include "cli/demo_people.h"

namespace depot::cli {

namespace {

// Waits for a callback-style use case; the CLI has no event loop to return to.
template <class T, class Start>
T wait_for(Start start) {
  std::promise<Result<T>> promise;
  auto future = promise.get_future();
  start(Callback<T>([&promise](Result<T> r) { promise.set_value(std::move(r)); }));
  Result<T> result = future.get();
  if (!result.ok()) throw std::runtime_error("demo data: " + result.error().message);
  return std::move(result).value();
}

struct DemoCustomer {
  const char* name;
  const char* phone;
  const char* email;
  const char* channel;  // the channel the customer prefers
  const char* locale;
  const char* province;
  const char* city;
  const char* district;
  const char* detail;
};

constexpr DemoCustomer kCustomers[] = {
    {"张伟", "13800138001", "", "sms", "zh-CN", "浙江省", "杭州市", "西湖区",
     "文三路 90 号 3 单元 501"},
    {"李娜", "13900139002", "lina@example.com", "email", "zh-CN", "上海市", "上海市", "浦东新区",
     "世纪大道 100 号 12 楼"},
    {"王芳", "13700137003", "", "wechat", "zh-CN", "广东省", "深圳市", "南山区",
     "科技园南区 8 栋 1203"},
    {"刘洋", "13600136004", "liu.yang@example.com", "email", "en", "北京市", "北京市", "朝阳区",
     "建国路 88 号 SOHO 2 号楼"},
    {"陈静", "13500135005", "chenjing@example.com", "sms", "zh-CN", "四川省", "成都市", "武侯区",
     "天府大道北段 1700 号"},
    // Two orders verification will hold: a district in another city, and a phone that is too short.
    {"赵磊", "13300133006", "", "sms", "zh-CN", "上海市", "上海市", "朝阳区", "淮海中路 300 号"},
    {"孙丽", "1380013", "sunli@example.com", "sms", "zh-CN", "江苏省", "南京市", "鼓楼区",
     "中山北路 30 号"},
    // One the demo rule will hold.
    {"周杰", "13200132008", "", "sms", "zh-CN", "广东省", "广州市", "天河区", "天河路 385 号"},
};

}  // namespace

std::string seed_demo(const std::string& data_dir, const DemoServices& services) {
  AccessService& access = services.access;
  OrderService& orders = services.orders;
  std::filesystem::path key_file = std::filesystem::path(data_dir) / "demo-api-key.txt";
  if (std::filesystem::exists(key_file)) {
    std::ifstream in(key_file);
    std::string key;
    std::getline(in, key);
    if (access.authenticate(key).ok()) return key;
  }
  Result<CreatedKey> created = access.create_key("demo", Role::owner);
  if (!created.ok()) throw std::runtime_error("demo data: " + created.error().message);
  Actor actor = *access.authenticate(created->key);
  actor.name = "demo-seed";

  // The shop sends from its warehouse in Hangzhou: the sender on its waybills and packing slips,
  // and the origin of its parcels' routes (the history's parcels learn their ETAs per route).
  SenderAddress sender{"青禾生活馆", "057188886666",          "浙江省", std::string(kWarehouseCity),
                       "余杭区",     "文一西路 969 号 3 号库"};
  wait_for<depot::Warehouse>([&](auto done) {
    services.inventory.save_sender(actor, std::string(kMainWarehouse), sender, done);
  });

  DemoWindow year = year_before(
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
  HistorySummary history =
      record_demo_history(services.history, actor, year, plan_demo_history(year));
  // The year is history: its customers were told at the time, so none is told again now.
  if (Result<std::int64_t> passed = services.dispatcher.pass_history(actor.tenant_id);
      !passed.ok()) {
    throw std::runtime_error("demo data: " + passed.error().message);
  }

  // Customers hear about their parcels through the sandbox: a merchant trying depot reads each
  // message in the sandbox inbox. A real merchant's channels start empty.
  for (ChannelKind channel : {ChannelKind::sms, ChannelKind::wechat, ChannelKind::email}) {
    ChannelAccountInput sandbox;
    sandbox.sandbox = true;
    wait_for<std::pair<ChannelAccountView, bool>>(
        [&](auto done) { services.channels.put(actor, channel, sandbox, done); });
  }

  Rule big_orders;
  big_orders.name = "大额订单 Large orders";
  big_orders.expression = "order.total > 30000";
  big_orders.message = "大额订单，请人工核对 Large order: check it by hand";
  wait_for<Rule>([&](auto done) { services.rules.create(actor, big_orders, done); });

  std::vector<Order> paid;
  int n = 0;
  for (const DemoCustomer& c : kCustomers) {
    const DemoProduct& first = demo_catalogue()[n % 4];
    const DemoProduct& second = demo_catalogue()[(n + 1) % 4];
    CreateOrderCommand command;
    command.draft.lines = {{std::string(first.sku), 1 + n % 2, first.price},
                           {std::string(second.sku), 1, second.price}};
    if (n + 1 == static_cast<int>(std::size(kCustomers)))
      command.draft.lines = {{"TEA-LONGJING", 2, 16800}};
    command.draft.customer = Customer{
        c.name,
        c.phone,
        c.email,
        std::string(c.channel) == "wechat" ? "oDemo" + std::to_string(n) + "WeChatOpenId" : "",
        "",
        {c.channel},
        c.locale};
    command.draft.shipping_address =
        Address{c.province, c.city, c.district, c.detail, "", {}, {}, {}};
    command.draft.platform = "taobao";
    command.draft.external_no = "TB" + std::to_string(20261122000 + n);
    command.idempotency_key = "demo-" + std::to_string(n);
    CreatedOrder order =
        wait_for<CreatedOrder>([&](auto done) { orders.create(actor, command, done); });
    if (n != 1 && n != 3) {
      Payment payment{order.order.total, "alipay", "DEMO-PAY-" + std::to_string(n), {}};
      paid.push_back(
          wait_for<Order>([&](auto done) { orders.pay(actor, order.order.id, payment, done); }));
    }
    ++n;
  }

  // One parcel for the first paid order, and the first line of the second as a partial parcel.
  ShipCommand whole{"SF", "SF1234567890123", std::nullopt, {}};
  wait_for<Shipped>([&](auto done) { services.shipping.ship(actor, paid[0].id, whole, done); });
  ShipCommand part{
      "ZTO", "73100000000001", std::nullopt, {{paid[1].lines[0].sku, paid[1].lines[0].quantity}}};
  wait_for<Shipped>([&](auto done) { services.shipping.ship(actor, paid[1].id, part, done); });

  std::ofstream out(key_file);
  out << created->key << "\n";
  std::filesystem::permissions(
      key_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  spdlog::info("seeded the demo merchant with {} days of history ({} orders) in {:.1f} s",
               history.days, history.orders, static_cast<double>(history.took.count()) / 1000);
  return created->key;
}

DemoLogin seed_demo_login(const std::string& data_dir, UserService& users) {
  std::filesystem::path login_file = std::filesystem::path(data_dir) / "demo-login.txt";
  if (std::filesystem::exists(login_file)) {
    DemoLogin saved;
    std::ifstream in(login_file);
    std::getline(in, saved.email);
    std::getline(in, saved.password);
    if (!saved.email.empty() && !saved.password.empty()) return saved;
  }
  DemoLogin login{"demo@depot.test", random_token(12)};
  Result<UserRecord> created =
      users.create_for_merchant("demo", {login.email, "owner", login.password});
  if (!created.ok()) throw std::runtime_error("demo login: " + created.error().message);
  std::ofstream out(login_file);
  out << login.email << "\n" << login.password << "\n";
  return login;
}

}  // namespace depot::cli
