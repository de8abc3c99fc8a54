#include "http/json_keys.h"

#include <boost/json/basic_parser_impl.hpp>

#include <set>
#include <vector>

namespace depot::http {

namespace {

namespace json = boost::json;
using ec_t = json::error_code;

// A basic_parser handler that keeps, for every open object or array, the keys seen (or the next
// index), and stops at the first key an object repeats.
struct KeyWatcher {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  struct Level {
    bool object = false;
    std::set<std::string> keys;
    std::string key;        // the current member's key, for an object
    std::size_t index = 0;  // the current element, for an array
  };
  std::vector<Level> levels;
  std::string key_text;
  std::optional<std::string> repeated;

  std::string path() const {
    std::string out;
    for (std::size_t i = 0; i + 1 < levels.size(); ++i) {
      const Level& level = levels[i];
      if (level.object) {
        out += (out.empty() ? "" : ".") + level.key;
      } else {
        out += "[" + std::to_string(level.index) + "]";
      }
    }
    return out;
  }
  // A value ended: the array it is in moves on to its next element.
  void value_done() {
    if (!levels.empty() && !levels.back().object) ++levels.back().index;
  }

  bool on_document_begin(ec_t&) { return true; }
  bool on_document_end(ec_t&) { return true; }
  bool on_array_begin(ec_t&) {
    levels.push_back({});
    return true;
  }
  bool on_array_end(std::size_t, ec_t&) {
    levels.pop_back();
    value_done();
    return true;
  }
  bool on_object_begin(ec_t&) {
    levels.push_back({true, {}, {}, 0});
    return true;
  }
  bool on_object_end(std::size_t, ec_t&) {
    levels.pop_back();
    value_done();
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, ec_t&) {
    key_text.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, ec_t& ec) {
    key_text.append(s.data(), s.size());
    Level& level = levels.back();
    level.key = std::move(key_text);
    key_text.clear();
    if (!level.keys.insert(level.key).second) {
      std::string prefix = path();
      repeated = prefix.empty() ? level.key : prefix + "." + level.key;
      ec = json::error::extra_data;  // any error: it only stops the parse
      return false;
    }
    return true;
  }
  bool on_string_part(json::string_view, std::size_t, ec_t&) { return true; }
  bool on_string(json::string_view, std::size_t, ec_t&) {
    value_done();
    return true;
  }
  bool on_number_part(json::string_view, ec_t&) { return true; }
  bool on_int64(std::int64_t, json::string_view, ec_t&) {
    value_done();
    return true;
  }
  bool on_uint64(std::uint64_t, json::string_view, ec_t&) {
    value_done();
    return true;
  }
  bool on_double(double, json::string_view, ec_t&) {
    value_done();
    return true;
  }
  bool on_bool(bool, ec_t&) {
    value_done();
    return true;
  }
  bool on_null(ec_t&) {
    value_done();
    return true;
  }
  bool on_comment_part(json::string_view, ec_t&) { return true; }
  bool on_comment(json::string_view, ec_t&) { return true; }
};

}  // namespace

std::optional<std::string> repeated_key(std::string_view text) {
  json::basic_parser<KeyWatcher> parser(json::parse_options{});
  ec_t ec;
  parser.write_some(false, text.data(), text.size(), ec);
  return parser.handler().repeated;
}

}  // namespace depot::http
