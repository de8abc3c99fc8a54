// Micro benchmarks of the shipping checks (`make bench` runs them; bench/report.py reads their
// JSON): pre-shipment verification, the divisions lookup, tracking-number shapes, and the Lua rule
// engine with one and with ten typical rules, alone and together with verification, which is the
// per-order cost verification adds when an order is paid and before each parcel.
//
// Every input is built once, outside the timed loops: a paid 3-line order to a Shanghai address
// normalised as depot stores it, reservations covering its lines, and rules compiled once as the
// rule book keeps them. The rule callbacks are stubs (a constant count, an empty blacklist), so
// these numbers are CPU only: the store reads verification also does are in the HTTP figures.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/rule_engine.h"
#include "domain/carriers.h"
#include "domain/divisions.h"
#include "domain/verification.h"
#include "rules/lua/lua_rule_engine.h"

namespace {

using depot::Address;
using depot::CompiledRule;
using depot::HoldReason;
using depot::Order;
using depot::RuleFacts;
using depot::VerificationFacts;

// Ten typical rules of a merchant; none matches the benchmark's order, as most orders match none.
constexpr std::array<std::string_view, 10> kRules = {
    "order.total > 500000",
    "address.province == \"新疆维吾尔自治区\"",
    "line(\"PHONE-X\").quantity > 5",
    "customer.orders_within_minutes(30) >= 3",
    "blacklist.phone(customer.phone)",
    "order.quantity > 50",
    "string.find(address.detail, \"测试\") ~= nil",
    "customer.name == \"\"",
    "order.platform == \"pdd\" and order.total < 100",
    "address.postcode == \"\"",
};

// An address as a platform sends it: short forms, normalised when the order is recorded.
Address raw_address() {
  Address address;
  address.province = "上海";
  address.city = "上海";
  address.district = "浦东";
  address.detail = "世纪大道 100 号 环球金融中心 8 楼";
  address.postcode = "200120";
  return address;
}

Order paid_order() {
  Order order;
  order.id = 1'000'001;
  order.order_no = "D2026112300100001";
  order.status = depot::OrderStatus::awaiting_shipment;
  order.currency = "CNY";
  order.platform = "taobao";
  order.lines = {{"PHONE-X", 2, 199900}, {"CASE-Y", 1, 3900}, {"CABLE-Z", 3, 1990}};
  order.total = order.paid_amount = 2 * 199900 + 3900 + 3 * 1990;
  order.customer.name = "王五";
  order.customer.phone = "13912345678";
  order.customer.email = "wang.wu@example.com";
  order.shipping_address = raw_address();
  depot::normalise_address(order.shipping_address);
  return order;
}

VerificationFacts covering_facts(const Order& order) {
  VerificationFacts facts;
  for (const depot::OrderLine& line : order.lines) facts.reserved[line.sku] += line.quantity;
  return facts;
}

// The rule callbacks as stubs: the customer placed one order in the window, nothing blacklisted.
RuleFacts rule_facts(const Order& order) {
  return RuleFacts{
      order,
      [](std::int64_t) { return std::int64_t{1}; },
      [](std::string_view, std::string_view) { return false; },
  };
}

depot::rules::LuaRuleEngine& engine() {
  static depot::rules::LuaRuleEngine instance;
  return instance;
}

std::shared_ptr<const CompiledRule> compile_or_die(std::string_view expression) {
  auto compiled = engine().compile(expression);
  if (!compiled.ok()) {
    std::fprintf(stderr, "cannot compile %.*s: %s\n", static_cast<int>(expression.size()),
                 expression.data(), compiled.error().message.c_str());
    std::abort();
  }
  return *compiled;
}

const std::vector<std::shared_ptr<const CompiledRule>>& compiled_rules() {
  static const std::vector<std::shared_ptr<const CompiledRule>> rules = [] {
    std::vector<std::shared_ptr<const CompiledRule>> out;
    for (std::string_view expression : kRules) out.push_back(compile_or_die(expression));
    return out;
  }();
  return rules;
}

// Evaluates every rule as the rule book does: one RuleFacts per rule, a hold reason per match.
std::vector<HoldReason> ten_rules(const Order& order) {
  std::vector<HoldReason> matched;
  std::int64_t id = 0;
  for (const auto& rule : compiled_rules()) {
    ++id;
    auto verdict = engine().evaluate(*rule, rule_facts(order));
    if (!verdict.ok()) std::abort();
    if (*verdict) matched.push_back(HoldReason{"rule.matched", "matched", {}, id});
  }
  return matched;
}

void BM_VerifyOrder(benchmark::State& state) {
  const Order order = paid_order();
  const VerificationFacts facts = covering_facts(order);
  if (!depot::verify_order(order, facts).empty()) state.SkipWithError("the order does not pass");
  for (auto _ : state) {
    auto reasons = depot::verify_order(order, facts);
    benchmark::DoNotOptimize(reasons);
  }
}
BENCHMARK(BM_VerifyOrder);

// The address copy is inside the loop (normalising changes it); it is a few short strings.
void BM_NormaliseAddress(benchmark::State& state) {
  const Address raw = raw_address();
  for (auto _ : state) {
    Address address = raw;
    depot::normalise_address(address);
    benchmark::DoNotOptimize(address);
  }
}
BENCHMARK(BM_NormaliseAddress);

void BM_MatchDivision_FullNames(benchmark::State& state) {
  for (auto _ : state) {
    auto found = depot::match_division("上海市", "上海市", "浦东新区");
    benchmark::DoNotOptimize(found);
  }
}
BENCHMARK(BM_MatchDivision_FullNames);

void BM_MatchDivision_ShortForms(benchmark::State& state) {
  for (auto _ : state) {
    auto found = depot::match_division("广东", "深圳", "南山");
    benchmark::DoNotOptimize(found);
  }
}
BENCHMARK(BM_MatchDivision_ShortForms);

void BM_TrackingNo(benchmark::State& state, std::string_view carrier_code,
                   std::string_view number) {
  const depot::Carrier* carrier = depot::find_carrier(carrier_code);
  if (carrier == nullptr || !depot::is_valid_tracking_no(*carrier, number)) {
    state.SkipWithError("not a valid tracking number");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(number);
    bool valid = depot::is_valid_tracking_no(*carrier, number);
    benchmark::DoNotOptimize(valid);
  }
}
BENCHMARK_CAPTURE(BM_TrackingNo, SF, "SF", "SF1234567890123");
BENCHMARK_CAPTURE(BM_TrackingNo, ZTO, "ZTO", "78123456789012");

// One rule, by its index in kRules (the JSON's context names each index's expression).
void BM_LuaRule(benchmark::State& state) {
  const Order order = paid_order();
  const auto& rule = compiled_rules()[static_cast<std::size_t>(state.range(0))];
  for (auto _ : state) {
    auto verdict = engine().evaluate(*rule, rule_facts(order));
    benchmark::DoNotOptimize(verdict);
  }
}
BENCHMARK(BM_LuaRule)->DenseRange(0, kRules.size() - 1);

void BM_LuaTenRules(benchmark::State& state) {
  const Order order = paid_order();
  if (!ten_rules(order).empty()) state.SkipWithError("a rule matches the benchmark's order");
  for (auto _ : state) {
    auto matched = ten_rules(order);
    benchmark::DoNotOptimize(matched);
  }
}
BENCHMARK(BM_LuaTenRules);

// The per-order cost: the ten rules, then verification with their verdicts.
void BM_VerifyWithTenRules(benchmark::State& state) {
  const Order order = paid_order();
  const VerificationFacts covered = covering_facts(order);
  {
    VerificationFacts facts = covered;
    facts.rule_matches = ten_rules(order);
    if (!depot::verify_order(order, facts).empty()) state.SkipWithError("the order does not pass");
  }
  for (auto _ : state) {
    VerificationFacts facts = covered;
    facts.rule_matches = ten_rules(order);
    auto reasons = depot::verify_order(order, facts);
    benchmark::DoNotOptimize(reasons);
  }
}
BENCHMARK(BM_VerifyWithTenRules);

}  // namespace

int main(int argc, char** argv) {
  for (std::size_t i = 0; i < kRules.size(); ++i) {
    benchmark::AddCustomContext("rule_" + std::to_string(i), std::string(kRules[i]));
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
