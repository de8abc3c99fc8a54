#include "rules/lua/lua_rule_engine.h"

#include <array>
#include <atomic>
#include <string>
#include <utility>

#include "domain/order_rules.h"
#include "rules/lua/expression_text.h"
#include "rules/lua/sandbox.h"

namespace depot::rules {

namespace {

// Ids are unique in the process, so that a state's cache can never confuse rules of two engines.
std::atomic<std::uint64_t> next_rule_id{1};

class LuaCompiledRule final : public CompiledRule {
 public:
  LuaCompiledRule(std::string source, std::string chunk)
      : id_(next_rule_id.fetch_add(1, std::memory_order_relaxed)),
        source_(std::move(source)),
        chunk_(std::move(chunk)) {}

  std::uint64_t id() const { return id_; }
  const std::string& source() const { return source_; }
  const std::string& chunk() const { return chunk_; }

 private:
  std::uint64_t id_;
  std::string source_;  // for the positions in error messages
  std::string chunk_;
};

// What compile() probes a rule with: one ordinary order and one that trips the usual checks, so
// that both sides of a typical `and`/`or` run before the rule is saved.
struct Sample {
  Order order;
  std::int64_t recent_orders = 0;
  bool blacklisted = false;
};

Sample ordinary_sample() {
  Sample sample;
  sample.recent_orders = 1;
  Order& order = sample.order;
  order.currency = "CNY";
  order.platform = "taobao";
  order.lines = {{"SAMPLE-A", 2, 4950}, {"SAMPLE-B", 1, 9900}};
  order.customer.name = "张三";
  order.customer.phone = "13800138000";
  order.customer.email = "zhangsan@example.com";
  order.shipping_address.province = "浙江省";
  order.shipping_address.city = "杭州市";
  order.shipping_address.district = "西湖区";
  order.shipping_address.detail = "文三路 90 号";
  order.shipping_address.postcode = "310012";
  order.total = order_total(order.lines);
  return sample;
}

Sample unusual_sample() {
  Sample sample;
  sample.recent_orders = 12;
  sample.blacklisted = true;
  Order& order = sample.order;
  order.currency = "USD";
  order.platform = "jd";
  order.lines = {{"SAMPLE-A", 40, 880000}, {"SAMPLE-C", 40, 100}, {"SAMPLE-D", 40, 1}};
  order.customer.name = "Li Si";
  order.customer.phone = "+8613900139000";
  order.shipping_address.province = "新疆维吾尔自治区";
  order.shipping_address.city = "乌鲁木齐市";
  order.shipping_address.district = "天山区";
  order.shipping_address.detail = "解放北路 1 号";
  order.shipping_address.postcode = "830000";
  order.total = order_total(order.lines);
  return sample;
}

const std::array<Sample, 2>& samples() {
  static const std::array<Sample, 2> kSamples = {ordinary_sample(), unusual_sample()};
  return kSamples;
}

std::string memory_text(std::size_t bytes) {
  constexpr std::size_t kMiB = 1024 * 1024;
  if (bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  return std::to_string(bytes) + " bytes";
}

std::string type_text(const std::string& type) { return type == "nil" ? type : "a " + type; }

// The Error for a run that yielded no boolean. Syntax errors are the caller's: they need the
// state that refused the text.
Error describe(const ExpressionText& text, const RunOutcome& outcome, const LuaBudgets& budgets) {
  switch (outcome.kind) {
    case RunOutcome::Kind::not_boolean:
      return text.error_at(
          0, "the expression must yield true or false, not " + type_text(outcome.message));
    case RunOutcome::Kind::instruction_budget:
      return text.runtime_error("the expression exceeded its instruction budget of " +
                                std::to_string(budgets.instructions) + " instructions");
    case RunOutcome::Kind::pattern_budget:
      return text.runtime_error("the expression exceeded its pattern budget of " +
                                std::to_string(budgets.pattern_steps) +
                                " steps (a pattern counts at its worst: anchor it with ^, or "
                                "repeat less)");
    case RunOutcome::Kind::memory_budget:
      return text.runtime_error("the expression exceeded its memory budget of " +
                                memory_text(budgets.memory_bytes));
    case RunOutcome::Kind::stack_overflow:
      return text.runtime_error(
          "the expression caused a stack overflow (calls nested deeper than " +
          std::to_string(budgets.call_depth) + ")");
    case RunOutcome::Kind::yielded:
    case RunOutcome::Kind::syntax_error:
    case RunOutcome::Kind::runtime_error:
      break;
  }
  return text.runtime_error(outcome.message);
}

}  // namespace

// Borrows a state from the pool for one call, and gives it back unless it is spent.
class LuaRuleEngine::Lease {
 public:
  explicit Lease(LuaRuleEngine& engine) : engine_(engine), sandbox_(engine.acquire()) {}
  ~Lease() {
    if (sandbox_ != nullptr) engine_.release(std::move(sandbox_));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  explicit operator bool() const { return sandbox_ != nullptr; }
  Sandbox* operator->() const { return sandbox_.get(); }

 private:
  LuaRuleEngine& engine_;
  std::unique_ptr<Sandbox> sandbox_;
};

LuaRuleEngine::LuaRuleEngine(LuaBudgets budgets) : budgets_(budgets) {}

LuaRuleEngine::~LuaRuleEngine() = default;

std::unique_ptr<Sandbox> LuaRuleEngine::acquire() {
  {
    MutexLock lock(mutex_);
    if (!idle_.empty()) {
      auto sandbox = std::move(idle_.back());
      idle_.pop_back();
      return sandbox;
    }
  }
  return Sandbox::open(
      {budgets_.instructions, budgets_.memory_bytes, budgets_.call_depth, budgets_.pattern_steps});
}

void LuaRuleEngine::release(std::unique_ptr<Sandbox> sandbox) {
  if (sandbox->spent()) return;
  MutexLock lock(mutex_);
  idle_.push_back(std::move(sandbox));
}

std::size_t LuaRuleEngine::idle_memory() const {
  MutexLock lock(mutex_);
  std::size_t bytes = 0;
  for (const auto& sandbox : idle_) bytes += sandbox->memory_in_use();
  return bytes;
}

Result<std::shared_ptr<const CompiledRule>> LuaRuleEngine::compile(std::string_view expression) {
  auto text = ExpressionText::prepare(expression);
  if (!text) return text.error();
  auto rule = std::make_shared<const LuaCompiledRule>(text->source(), text->chunk());
  Lease sandbox(*this);
  if (!sandbox) return error(ErrorCode::internal, "the rule engine could not start Lua");
  for (const Sample& sample : samples()) {
    const RuleFacts facts{
        sample.order,
        [&sample](std::int64_t) { return sample.recent_orders; },
        [&sample](std::string_view, std::string_view) { return sample.blacklisted; },
    };
    const RunOutcome outcome = sandbox->run(rule->id(), rule->chunk(), facts);
    if (outcome.kind == RunOutcome::Kind::yielded) continue;
    if (outcome.kind == RunOutcome::Kind::syntax_error) {
      return text->syntax_error(outcome.message, [&](std::size_t prefix) {
        return sandbox->load_error(std::string_view(rule->chunk()).substr(0, prefix)) ==
               outcome.message;
      });
    }
    return describe(*text, outcome, budgets_);
  }
  return std::shared_ptr<const CompiledRule>(std::move(rule));
}

Result<bool> LuaRuleEngine::evaluate(const CompiledRule& rule, const RuleFacts& facts) {
  const auto* lua_rule = dynamic_cast<const LuaCompiledRule*>(&rule);
  if (lua_rule == nullptr) {
    return error(ErrorCode::internal, "the rule was not compiled by the Lua rule engine");
  }
  RunOutcome outcome;
  {
    Lease sandbox(*this);
    if (!sandbox) return error(ErrorCode::internal, "the rule engine could not start Lua");
    outcome = sandbox->run(lua_rule->id(), lua_rule->chunk(), facts);
  }
  if (outcome.kind == RunOutcome::Kind::yielded) return outcome.value;
  // The text compiled once, so it prepares again; failures are rare enough to re-read it.
  auto text = ExpressionText::prepare(lua_rule->source());
  if (!text) return text.error();
  return describe(*text, outcome, budgets_);
}

}  // namespace depot::rules
