#pragma once
// Managing what verification consults (SPEC SHP-1, SHP-2): the merchant's rules (compiled and
// type-checked when saved, with a dry run over recent orders), blacklists, and the geocoder
// account. Writes complete through a callback once durable; reads are synchronous. Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/rule_book.h"
#include "app/write.h"

namespace depot {

struct RulePatch {
  std::optional<std::string> name;
  std::optional<std::string> expression;
  std::optional<std::string> message;
  std::optional<bool> enabled;
};

struct RuleView {
  Rule rule;
  std::string last_error;  // its last failure at run time, if any since it last changed
};

struct DryRunMatch {
  Order order;
};

struct DryRun {
  std::int64_t evaluated = 0;
  std::vector<DryRunMatch> matches;
  std::vector<std::pair<std::int64_t, std::string>> errors;  // order id, why it failed
};

inline constexpr int kDryRunOrders = 500;

class RuleService {
 public:
  RuleService(Store& store, Clock& clock, RuleBook& book)
      : store_(store), clock_(clock), book_(book) {}

  void create(const Actor& actor, Rule rule, Callback<Rule> done);
  void update(const Actor& actor, std::int64_t id, RulePatch patch, Callback<Rule> done);
  void remove(const Actor& actor, std::int64_t id, Callback<bool> done);
  Result<RuleView> get(const Actor& actor, std::int64_t id);
  Result<std::vector<RuleView>> list(const Actor& actor);
  // Evaluates an expression over the merchant's most recent orders (up to `limit`, at most
  // kDryRunOrders) exactly as live verification would, changing nothing.
  Result<DryRun> dry_run(const Actor& actor, const std::string& expression, int limit);

  void add_to_blacklist(const Actor& actor, BlacklistEntry entry, Callback<BlacklistEntry> done);
  void remove_from_blacklist(const Actor& actor, std::string list, const std::string& value,
                             Callback<bool> done);
  Result<std::vector<BlacklistEntry>> blacklist(const Actor& actor, const std::string& list);

  // Configures (or, with nothing, removes) the merchant's geocoder account.
  void set_geocoder(const Actor& actor, std::optional<GeocoderConfig> config,
                    Callback<std::optional<GeocoderConfig>> done);
  Result<std::optional<GeocoderConfig>> geocoder(const Actor& actor);

 private:
  Store& store_;
  Clock& clock_;
  RuleBook& book_;
};

}  // namespace depot
