#include "rules/lua/lua_rule_engine.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace depot::rules {
namespace {

Order make_order() {
  Order order;
  order.currency = "CNY";
  order.platform = "taobao";
  order.lines = {{"PHONE-X", 2, 250000}, {"CASE-Y", 3, 1000}};
  order.total = 503000;
  order.customer.name = "王五";
  order.customer.phone = "13912345678";
  order.customer.email = "Wang.Wu@Example.com";
  order.shipping_address.province = "新疆维吾尔自治区";
  order.shipping_address.city = "乌鲁木齐市";
  order.shipping_address.district = "天山区";
  order.shipping_address.detail = "解放北路 88 号 仓库";
  order.shipping_address.postcode = "830000";
  return order;
}

// An order with the callbacks a rule may ask, recording what they were asked.
struct Case {
  Order order = make_order();
  std::int64_t recent_orders = 1;
  std::set<std::pair<std::string, std::string>> blacklist;
  std::vector<std::int64_t> minutes_asked;
  std::vector<std::pair<std::string, std::string>> blacklist_asked;

  RuleFacts facts() {
    return RuleFacts{
        order,
        [this](std::int64_t minutes) {
          minutes_asked.push_back(minutes);
          return recent_orders;
        },
        [this](std::string_view list, std::string_view value) {
          blacklist_asked.emplace_back(list, value);
          return blacklist.contains({std::string(list), std::string(value)});
        },
    };
  }
};

class LuaRuleEngineTest : public ::testing::Test {
 protected:
  std::shared_ptr<const CompiledRule> compile(std::string_view expression) {
    auto rule = engine_.compile(expression);
    EXPECT_TRUE(rule.ok()) << expression << ": " << (rule.ok() ? "" : rule.error().message);
    return rule.ok() ? *rule : nullptr;
  }

  // Whether the rule matches; a compile or run-time failure fails the test.
  bool matches(std::string_view expression, Case& c) {
    const auto rule = compile(expression);
    if (rule == nullptr) return false;
    const auto result = engine_.evaluate(*rule, c.facts());
    EXPECT_TRUE(result.ok()) << expression << ": " << (result.ok() ? "" : result.error().message);
    return result.ok() && *result;
  }
  bool matches(std::string_view expression) {
    Case c;
    return matches(expression, c);
  }

  // The message of compile()'s refusal, or "" when it compiles.
  std::string compile_error(std::string_view expression) {
    const auto rule = engine_.compile(expression);
    if (rule.ok()) return "";
    EXPECT_EQ(rule.error().code, ErrorCode::invalid);
    EXPECT_EQ(rule.error().fields.size(), 1u);
    if (rule.error().fields.empty()) return rule.error().message;
    EXPECT_EQ(rule.error().fields[0].field, "expression");
    return rule.error().fields[0].message;
  }

  // The message of evaluate()'s refusal (the rule must compile), or "" when it evaluates.
  std::string evaluate_error(std::string_view expression, Case& c) {
    const auto rule = compile(expression);
    if (rule == nullptr) return "(did not compile)";
    const auto result = engine_.evaluate(*rule, c.facts());
    if (result.ok()) return "";
    EXPECT_EQ(result.error().code, ErrorCode::invalid);
    return result.error().message;
  }

  LuaRuleEngine engine_;
};

TEST_F(LuaRuleEngineTest, OrderFacts) {
  EXPECT_TRUE(matches("order.total > 500000"));
  EXPECT_FALSE(matches("order.total > 600000"));
  EXPECT_TRUE(matches("order.currency == \"CNY\""));
  EXPECT_FALSE(matches("order.currency == \"USD\""));
  EXPECT_TRUE(matches("order.platform == 'taobao'"));
  EXPECT_FALSE(matches("order.platform == 'jd'"));
  EXPECT_TRUE(matches("order.quantity > 4"));  // units over all lines: 2 + 3
  EXPECT_FALSE(matches("order.quantity > 5"));
  EXPECT_TRUE(matches("order.line_count == 2"));
  EXPECT_FALSE(matches("order.line_count > 2"));
}

TEST_F(LuaRuleEngineTest, AddressFacts) {
  EXPECT_TRUE(matches("address.province == \"新疆维吾尔自治区\""));
  EXPECT_FALSE(matches("address.province == \"西藏自治区\""));
  EXPECT_TRUE(matches("address.city == '乌鲁木齐市' and address.district == '天山区'"));
  EXPECT_FALSE(matches("address.district == '沙依巴克区'"));
  EXPECT_TRUE(matches("string.find(address.detail, '仓库', 1, true) ~= nil"));
  EXPECT_FALSE(matches("string.find(address.detail, '驿站', 1, true) ~= nil"));
  EXPECT_TRUE(matches("address.postcode == '830000'"));
  EXPECT_FALSE(matches("address.postcode:sub(1, 2) == '10'"));
}

TEST_F(LuaRuleEngineTest, CustomerFacts) {
  EXPECT_TRUE(matches("customer.name == '王五'"));
  EXPECT_FALSE(matches("customer.name == '赵六'"));
  EXPECT_TRUE(matches("customer.phone:sub(1, 3) == '139'"));
  EXPECT_FALSE(matches("string.len(customer.phone) ~= 11"));
  EXPECT_TRUE(matches("string.lower(customer.email) == 'wang.wu@example.com'"));
  EXPECT_FALSE(matches("customer.email == ''"));
}

TEST_F(LuaRuleEngineTest, OrdersWithinMinutesAsksTheCallback) {
  Case c;
  c.recent_orders = 3;
  EXPECT_TRUE(matches("customer.orders_within_minutes(30) >= 3", c));
  c.recent_orders = 2;
  EXPECT_FALSE(matches("customer.orders_within_minutes(30) >= 3", c));
  // Both runs, and nothing else, asked: compile() probes with its own samples.
  EXPECT_EQ(c.minutes_asked, (std::vector<std::int64_t>{30, 30}));

  Case d;
  EXPECT_FALSE(matches("order.total < 0 and customer.orders_within_minutes(5) > 0", d));
  EXPECT_TRUE(d.minutes_asked.empty()) << "asked only when the expression gets there";
}

TEST_F(LuaRuleEngineTest, LineFacts) {
  EXPECT_TRUE(matches("line(\"PHONE-X\").quantity > 1"));
  EXPECT_FALSE(matches("line(\"PHONE-X\").quantity > 5"));
  EXPECT_TRUE(matches("line('PHONE-X').unit_price == 250000"));
  EXPECT_TRUE(
      matches("line('NOT-ON-ORDER').quantity == 0 and line('NOT-ON-ORDER').unit_price == 0"));
  EXPECT_FALSE(matches("line('NOT-ON-ORDER').quantity > 0"));
}

TEST_F(LuaRuleEngineTest, BlacklistsAskTheCallbackWithTheirList) {
  Case c;
  c.blacklist = {{"phone", "13912345678"}, {"name", "王五"}};
  EXPECT_TRUE(matches("blacklist.phone(customer.phone)", c));
  EXPECT_FALSE(matches("blacklist.address(address.detail)", c));
  EXPECT_TRUE(matches("blacklist.name(customer.name)", c));
  const std::vector<std::pair<std::string, std::string>> asked = {
      {"phone", "13912345678"}, {"address", "解放北路 88 号 仓库"}, {"name", "王五"}};
  EXPECT_EQ(c.blacklist_asked, asked);
}

TEST_F(LuaRuleEngineTest, LuaOperatorsAndLibraries) {
  EXPECT_TRUE(matches("not (order.platform == 'jd') and (order.total > 1 or false)"));
  EXPECT_TRUE(matches("order.currency ~= 'USD'"));
  EXPECT_TRUE(matches("string.match(customer.phone, '^1[3-9]%d+$') ~= nil"));
  EXPECT_TRUE(matches("customer.email:lower():sub(-12) == '@example.com'"));
  EXPECT_TRUE(matches("utf8.len(address.province) == 8"));
  EXPECT_TRUE(matches("math.max(order.total // 100, 1) == 5030 and math.floor(2.5) == 2"));
  EXPECT_TRUE(matches("string.upper(order.currency) == 'CNY' and #customer.phone == 11"));
  EXPECT_TRUE(matches("tostring(order.total) == '503000' and tonumber('12') == 12"));
  EXPECT_TRUE(matches("type(order.total) == 'number'"));
  // Functions are expressions, and so are the returns inside them.
  EXPECT_TRUE(matches("(function(limit) return order.total > limit end)(1000)"));
}

TEST_F(LuaRuleEngineTest, ConveniencesOutsideStringsAndComments) {
  EXPECT_TRUE(matches("order.currency != 'USD' && order.total > 1"));
  EXPECT_TRUE(matches("order.platform == 'jd' || order.platform == 'taobao'"));
  EXPECT_TRUE(matches("!blacklist.phone(customer.phone)"));
  EXPECT_FALSE(matches("!(order.total > 1)"));
  EXPECT_TRUE(matches("order.total>1&&order.quantity>1"));

  Case c;
  c.order.customer.name = "a && b != c || !d";
  EXPECT_TRUE(matches("customer.name == 'a && b != c || !d' -- && || != ! stay text here", c));
  EXPECT_TRUE(matches("customer.name == [[a && b != c || !d]]", c));
  EXPECT_TRUE(matches("customer.name --[[ != ]] == \"a && b != c || !d\"", c));
}

TEST_F(LuaRuleEngineTest, ForbiddenGlobalsAreRefusedOrNil) {
  for (const char* name :
       {"io",           "os",           "debug",           "require",   "load",
        "loadstring",   "dofile",       "loadfile",        "package",   "collectgarbage",
        "setmetatable", "getmetatable", "rawset",          "rawget",    "rawequal",
        "rawlen",       "pcall",        "xpcall",          "error",     "coroutine",
        "print",        "next",         "pairs",           "select",    "_G",
        "string.dump",  "math.random",  "math.randomseed", "('').dump", "_ENV.os",
        "_ENV['os']"}) {
    const std::string expression = std::string(name) + " ~= nil";
    const auto rule = engine_.compile(expression);
    if (!rule.ok()) continue;  // refused
    Case c;
    const auto result = engine_.evaluate(**rule, c.facts());
    EXPECT_TRUE(!result.ok() || !*result) << name << " is reachable";
  }
  EXPECT_TRUE(matches("('x'):rep(3) == 'xxx'")) << "strings keep the functions the sandbox keeps";
}

TEST_F(LuaRuleEngineTest, RulesCannotChangeWhatOtherRulesSee) {
  EXPECT_NE(compile_error("(function() string.lower = nil return true end)()"), "");
  EXPECT_NE(compile_error("(function() order = nil return true end)()"), "");
  EXPECT_NE(compile_error("(function() ('').upper = nil return true end)()"), "");
  EXPECT_TRUE(matches("string.lower('A') == 'a' and order.total > 0 and ('a'):upper() == 'A'"));

  // A rule may rebind its own _ENV, but every run starts with the real one.
  const auto rule = compile(
      "(function() local before = order.total > 0; _ENV = {order = {total = -1}}; "
      "return before end)()");
  ASSERT_NE(rule, nullptr);
  Case c;
  for (int i = 0; i < 3; ++i) {
    const auto result = engine_.evaluate(*rule, c.facts());
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_TRUE(*result);
  }
}

TEST_F(LuaRuleEngineTest, EndlessLoopsAreStoppedByTheInstructionBudget) {
  EXPECT_NE(
      compile_error("(function() while true do end end)()").find("exceeded its instruction budget"),
      std::string::npos);
  // Tail calls recurse without growing the stack: only the instruction budget stops them.
  EXPECT_NE(compile_error("(function(f) return f(f) end)(function(f) return f(f) end)")
                .find("exceeded its instruction budget"),
            std::string::npos);

  // The samples compile() probes with are not called "loop": this one stops at evaluation.
  Case c;
  c.order.customer.name = "loop";
  const std::string error =
      evaluate_error("customer.name == 'loop' and (function() while true do end end)()", c);
  EXPECT_NE(error.find("exceeded its instruction budget of 100000 instructions"), std::string::npos)
      << error;
  EXPECT_TRUE(matches("order.total > 500000")) << "the engine is usable afterwards";
}

TEST_F(LuaRuleEngineTest, EndlessRecursionIsAStackOverflow) {
  const std::string error =
      compile_error("(function(f) return 1 + f(f) end)(function(f) return 1 + f(f) end) > 0");
  EXPECT_NE(error.find("stack overflow"), std::string::npos) << error;
  Case c;
  c.order.customer.name = "deep";
  EXPECT_NE(evaluate_error("customer.name == 'deep' and "
                           "(function(f) return f(f) + 1 end)(function(f) return f(f) + 1 end) > 0",
                           c)
                .find("stack overflow"),
            std::string::npos);
  EXPECT_TRUE(matches("order.total > 500000"));
}

TEST_F(LuaRuleEngineTest, EndlessAllocationIsStoppedByTheMemoryBudget) {
  for (const char* expression : {
           "#string.rep('x', 1e9) > 0",
           "(function() local s = 'x' while true do s = s .. s end end)()",
           "(function() local t = {} for i = 1, 1e8 do t[i] = string.rep('x', 1000, i) end end)()",
       }) {
    const std::string error = compile_error(expression);
    EXPECT_NE(error.find("exceeded its memory budget of 4 MiB"), std::string::npos)
        << expression << ": " << error;
  }
  Case c;
  c.order.customer.name = "hog";
  EXPECT_NE(evaluate_error("customer.name == 'hog' and #string.rep('x', 1e9) > 0", c)
                .find("exceeded its memory budget"),
            std::string::npos);
  EXPECT_TRUE(matches("order.total > 500000"));
  EXPECT_LT(engine_.idle_memory(), 1024u * 1024u) << "the memory was given back";
}

TEST_F(LuaRuleEngineTest, PatternsAreChargedTheirWorstCase) {
  // Lua matches in C, where the instruction hook cannot stop it: this one would run for hours.
  const std::string error = compile_error("string.find(string.rep('a', 3e5), '.-.-.-.-b') == nil");
  EXPECT_NE(error.find("exceeded its pattern budget"), std::string::npos) << error;
  EXPECT_NE(compile_error("(function() for i = 1, 1e4 do string.find(string.rep('a', 2000), "
                          "'a*b') end return true end)()")
                .find("exceeded its pattern budget"),
            std::string::npos)
      << "many cheap calls add up";
  EXPECT_TRUE(matches("string.match(customer.email, '^[%w._]+@[%w.]+%.%a+$') ~= nil"));
  EXPECT_TRUE(matches("string.gsub(address.detail, '%s+', '') == '解放北路88号仓库'"));
  EXPECT_TRUE(matches("string.find(string.rep('a', 1e5), 'b', 1, true) == nil"))
      << "plain search is not a pattern";
  EXPECT_EQ(compile_error("\ncustomer.phone:find('(') ~= nil"),
            "line 2, column 1: unfinished capture");
}

TEST_F(LuaRuleEngineTest, BudgetsAreTheConstructors) {
  LuaRuleEngine strict(LuaBudgets{.instructions = 2000, .memory_bytes = 64 * 1024});
  const std::string loop =
      "(function() local n = 0 for i = 1, 1000 do n = n + i end return n > 0 end)()";
  EXPECT_TRUE(engine_.compile(loop).ok());
  const auto refused = strict.compile(loop);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("instruction budget of 2000 instructions"),
            std::string::npos)
      << refused.error().message;
  const auto hog = strict.compile("#string.rep('x', 100000) > 0");
  ASSERT_FALSE(hog.ok());
  EXPECT_NE(hog.error().message.find("memory budget of 65536 bytes"), std::string::npos)
      << hog.error().message;
}

TEST_F(LuaRuleEngineTest, SyntaxErrorsNameTheirPosition) {
  EXPECT_EQ(compile_error("order.total > > 5"), "line 1, column 15: unexpected symbol near '>'");
  // Lua names the token; the engine finds which of the equal ones it meant.
  EXPECT_EQ(compile_error("order.total > 5 and and true"),
            "line 1, column 21: unexpected symbol near 'and'");
  EXPECT_EQ(compile_error("order.total >"), "line 1, column 14: the expression ends too early");
  EXPECT_EQ(compile_error("order.total > 5 and\n  address.city = 'x'"),
            "line 2, column 16: compare with '==': a rule cannot assign with '='");
  EXPECT_EQ(compile_error("(order.total > 5"), "line 1, column 1: '(' is never closed");
  EXPECT_EQ(compile_error("order.total > 5)"), "line 1, column 16: ')' closes nothing");
  EXPECT_EQ(compile_error("true) or (true"), "line 1, column 5: ')' closes nothing");
  EXPECT_EQ(compile_error("customer.name == 'abc"), "line 1, column 18: unfinished string");
  EXPECT_EQ(compile_error("address.province == 新疆"),
            "line 1, column 21: '新' belongs inside quotes");
  EXPECT_EQ(compile_error(""), "line 1, column 1: the expression is empty");
  EXPECT_EQ(compile_error("customer.name == 'a' order.total > 1"),
            "line 1, column 22: 'order' follows a complete expression");
  EXPECT_EQ(compile_error("order.total > 1 and\n\tcustomer.name =="),
            "line 2, column 18: the expression ends too early");
  EXPECT_EQ(compile_error("3x > 1"), "line 1, column 1: malformed number near '3x'");
}

TEST_F(LuaRuleEngineTest, StatementsAreRefused) {
  EXPECT_EQ(compile_error("return order.total > 5"),
            "line 1, column 1: leave out 'return': a rule is an expression");
  EXPECT_NE(compile_error("local x = 1").find("not a statement"), std::string::npos);
  EXPECT_NE(compile_error("if order.total > 5 then return true end").find("not a statement"),
            std::string::npos);
  EXPECT_NE(compile_error("order.total > 5; return true"), "");
  EXPECT_NE(compile_error("order.total > 5 return true"), "");
}

TEST_F(LuaRuleEngineTest, UnknownFactsAreRefusedWithTheirPosition) {
  EXPECT_EQ(compile_error("order.totl > 500000"), "line 1, column 7: unknown field order.totl");
  EXPECT_EQ(compile_error("adress.city == 'x'"), "line 1, column 1: unknown name adress");
  EXPECT_EQ(compile_error("customer.name == \"张三\" and order.totl > 1"),
            "line 1, column 33: unknown field order.totl");
  // Even on a branch the samples never take.
  EXPECT_EQ(compile_error("order.total < 0 and address.town == 'x'"),
            "line 1, column 29: unknown field address.town");
  EXPECT_EQ(compile_error("line('A').qty > 1"), "line 1, column 11: unknown field line(...).qty");
  EXPECT_EQ(compile_error("blacklist.email(customer.email)"),
            "line 1, column 11: unknown field blacklist.email");
  EXPECT_NE(compile_error("customer:name() == 'x'").find("with a dot"), std::string::npos);
  // Names the text check cannot see are strict when the probe reads them.
  EXPECT_EQ(compile_error("order['totl'] == 1"), "line 1, column 1: unknown field order.totl");
}

TEST_F(LuaRuleEngineTest, ResultsMustBeBooleans) {
  EXPECT_EQ(compile_error("order.total"),
            "line 1, column 1: the expression must yield true or false, not a number");
  EXPECT_EQ(compile_error("customer.name"),
            "line 1, column 1: the expression must yield true or false, not a string");
  EXPECT_EQ(compile_error("nil"),
            "line 1, column 1: the expression must yield true or false, not nil");
  EXPECT_NE(compile_error("order.total > 5 and order.currency"), "")
      << "the samples take both sides of the and";
}

TEST_F(LuaRuleEngineTest, RuntimeErrorsAreReported) {
  const std::string compare = compile_error("order.total > \"x\"");
  EXPECT_NE(compare.find("attempt to compare"), std::string::npos) << compare;

  Case c;
  c.order.lines.clear();
  const std::string error = evaluate_error("order.total // order.quantity > 100", c);
  EXPECT_NE(error.find("zero"), std::string::npos) << error;
  EXPECT_NE(error.find("line 1, column"), std::string::npos) << error;

  Case d;
  d.order.customer.name = "odd";
  EXPECT_NE(evaluate_error("customer.name == 'odd' and customer.orders_within_minutes(0) > 1", d)
                .find("takes 1 to"),
            std::string::npos);
  EXPECT_NE(
      evaluate_error("customer.name == 'odd' and blacklist.phone(nil)", d).find("takes a string"),
      std::string::npos);
}

TEST_F(LuaRuleEngineTest, CallbackExceptionsBecomeErrors) {
  const auto rule = compile("customer.orders_within_minutes(60) > 2");
  ASSERT_NE(rule, nullptr);
  const Order order = make_order();
  const RuleFacts facts{
      order,
      [](std::int64_t) -> std::int64_t { throw std::runtime_error("the store is down"); },
      [](std::string_view, std::string_view) { return false; },
  };
  const auto result = engine_.evaluate(*rule, facts);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("the store is down"), std::string::npos)
      << result.error().message;
  EXPECT_TRUE(matches("order.total > 500000"));
}

TEST_F(LuaRuleEngineTest, TooLongExpressionsAreRefused) {
  std::string expression = "order.total > 0";
  while (expression.size() <= 16 * 1024) expression += " and order.total > 0";
  EXPECT_NE(compile_error(expression).find("longer than"), std::string::npos);
}

TEST_F(LuaRuleEngineTest, RulesWorkWithAnyEngine) {
  const auto rule = compile("order.total > 500000");
  ASSERT_NE(rule, nullptr);
  LuaRuleEngine other;
  Case c;
  const auto result = other.evaluate(*rule, c.facts());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE(*result);
}

TEST_F(LuaRuleEngineTest, ConcurrentEvaluationsGetTheirOwnAnswers) {
  const auto big = compile("order.total > 500000 and customer.orders_within_minutes(30) >= 3");
  const auto xinjiang =
      compile("address.province == '新疆维吾尔自治区' && line('PHONE-X').quantity > 1");
  ASSERT_NE(big, nullptr);
  ASSERT_NE(xinjiang, nullptr);
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        Case c;
        const bool large = (i + t) % 2 == 0;
        c.order.total = large ? 900000 : 100;
        c.recent_orders = large ? 5 : 0;
        if (i % 3 == 0) c.order.shipping_address.province = "西藏自治区";
        const auto a = engine_.evaluate(*big, c.facts());
        const auto b = engine_.evaluate(*xinjiang, c.facts());
        if (!a.ok() || *a != large) ++wrong[static_cast<std::size_t>(t)];
        if (!b.ok() || *b != (i % 3 != 0)) ++wrong[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace depot::rules
