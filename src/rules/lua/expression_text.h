#pragma once
// The text of a rule expression before and after Lua reads it (SPEC SHP-2): a lexer that follows
// Lua 5.4's, the rewrite of the conveniences `!=`, `&&`, `||` and `!` (tokens, so never inside
// strings or comments), the checks that need no interpreter (one expression and not a statement,
// balanced brackets, known names and fields: each error with its exact position), and the
// positions of the errors Lua reports later ("line 2, column 7: …", columns in characters).
//
// Thread safety: an ExpressionText is immutable once prepared.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"

namespace depot::rules {

// Rules are short; this keeps a hostile one from costing much before any budget applies.
inline constexpr std::size_t kMaxExpressionBytes = 16 * 1024;

class ExpressionText {
 public:
  // The expression ready for Lua, or an `invalid` Error on the field "expression".
  static Result<ExpressionText> prepare(std::string_view source);

  const std::string& source() const { return source_; }
  // "return (" + the rewritten expression + "\n)". The newline keeps a trailing comment from
  // swallowing the parenthesis; the bracket check keeps the expression from closing it early.
  const std::string& chunk() const { return chunk_; }

  // The Error for Lua's refusal to load chunk() with `lua_message`. `reproduces(n)` says whether
  // loading only the first n bytes of chunk() fails with the same message: that picks which of
  // several equal tokens on the line Lua meant.
  Error syntax_error(std::string_view lua_message,
                     const std::function<bool(std::size_t)>& reproduces) const;
  // The Error for a run-time message from Lua ("expression:1: …"), or from the sandbox (budgets,
  // which have no place in the text and point at its start).
  Error runtime_error(std::string_view lua_message) const;
  // The Error for `message` about the text at byte `offset` of source().
  Error error_at(std::size_t offset, std::string_view message) const;

 private:
  struct Token {
    enum class Kind { name, keyword, number, string, symbol, other };
    Kind kind = Kind::other;
    std::string text;           // as Lua spells it: "~=" where the merchant wrote "!="
    std::size_t begin = 0;      // in source()
    std::size_t chunk_end = 0;  // where the token ends in chunk()
    int line = 1;
  };

  explicit ExpressionText(std::string_view source);
  // The first problem the lexer or the checks find, as an Error; none when the text may go to Lua.
  std::optional<Error> lex();
  std::optional<Error> check_brackets() const;
  std::optional<Error> check_is_expression() const;
  std::optional<Error> check_names() const;
  static int nesting(const Token& token);  // 1 opens a bracket, -1 closes one
  std::size_t matching_bracket(std::size_t open) const;
  int depth_before(const Token& token) const;  // brackets open before it
  std::size_t end_of_line(int line) const;
  int line_count() const { return static_cast<int>(line_starts_.size()); }

  std::string source_;
  std::string chunk_;
  std::vector<Token> tokens_;
  std::vector<std::size_t> line_starts_;
};

}  // namespace depot::rules
