#include "rules/lua/expression_text.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "rules/lua/vocabulary.h"

namespace depot::rules {

namespace {

constexpr std::string_view kChunkHead = "return (";
constexpr std::string_view kChunkTail = "\n)";
constexpr std::string_view kChunkName = "expression:";  // Lua's prefix for chunk name "=expression"

constexpr std::string_view kKeywords[] = {"and",   "break", "do",       "else", "elseif", "end",
                                          "false", "for",   "function", "goto", "if",     "in",
                                          "local", "nil",   "not",      "or",   "repeat", "return",
                                          "then",  "true",  "until",    "while"};

// Lua's symbols of more than one character, longest first, and the conveniences: what the
// merchant wrote, how Lua spells it, and what goes into the chunk (spaced, since `a&&b` has none).
struct Spelling {
  std::string_view written;
  std::string_view lua;
  std::string_view chunk;
};
constexpr Spelling kSymbols[] = {
    {"...", "...", "..."}, {"..", "..", ".."},    {"==", "==", "=="}, {"~=", "~=", "~="},
    {"<=", "<=", "<="},    {">=", ">=", ">="},    {"<<", "<<", "<<"}, {">>", ">>", ">>"},
    {"//", "//", "//"},    {"::", "::", "::"},    {"!=", "~=", "~="}, {"&&", "and", " and "},
    {"||", "or", " or "},  {"!", "not", " not "},
};

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_newline(char c) { return c == '\n' || c == '\r'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v' || is_newline(c); }
bool is_ascii_punct(char c) { return c > ' ' && c < 127 && !is_alpha(c) && !is_digit(c); }

// The level of the long bracket ("[[" is 0, "[==[" is 2) that opens at `at`, if one does.
std::optional<std::size_t> long_bracket(std::string_view s, std::size_t at) {
  if (at >= s.size() || s[at] != '[') return std::nullopt;
  std::size_t i = at + 1;
  while (i < s.size() && s[i] == '=') ++i;
  if (i < s.size() && s[i] == '[') return i - at - 1;
  return std::nullopt;
}

// One past the long bracket of `level` that closes after `from`, or npos.
std::size_t long_bracket_close(std::string_view s, std::size_t from, std::size_t level) {
  const std::string close = "]" + std::string(level, '=') + "]";
  const std::size_t at = s.find(close, from);
  return at == std::string_view::npos ? at : at + close.size();
}

// One past the short string opening at `at`, or npos when it is unfinished.
std::size_t short_string_end(std::string_view s, std::size_t at) {
  std::size_t i = at + 1;
  while (i < s.size()) {
    const char c = s[i];
    if (c == s[at]) return i + 1;
    if (is_newline(c)) return std::string_view::npos;
    if (c != '\\' || i + 1 >= s.size()) {
      ++i;
    } else if (s[i + 1] == 'z') {  // "\z" skips the white space that follows, newlines included
      i += 2;
      while (i < s.size() && is_space(s[i])) ++i;
    } else if (is_newline(s[i + 1])) {  // an escaped line break, "\r\n" counting as one
      i += 2;
      if (i < s.size() && is_newline(s[i]) && s[i] != s[i - 1]) ++i;
    } else {
      i += 2;
    }
  }
  return std::string_view::npos;
}

// One past the numeral at `at`, read as Lua's read_numeral reads it (a trailing letter is kept so
// that the token matches the one Lua names in "malformed number near '3x'").
std::size_t numeral_end(std::string_view s, std::size_t at) {
  std::string_view exponent = "Ee";
  std::size_t i = at;
  if (s.substr(at, 2) == "0x" || s.substr(at, 2) == "0X") {
    exponent = "Pp";
    i += 2;
  }
  while (i < s.size()) {
    const char c = s[i];
    if (exponent.find(c) != std::string_view::npos) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    } else if (std::isxdigit(static_cast<unsigned char>(c)) || c == '.') {
      ++i;
    } else {
      break;
    }
  }
  if (i < s.size() && is_alpha(s[i])) ++i;
  return i;
}

bool is_keyword(std::string_view word) {
  return std::find(std::begin(kKeywords), std::end(kKeywords), word) != std::end(kKeywords);
}

// "expression:3: message" as (3, "message"); a message without Lua's prefix as (0, message).
std::pair<int, std::string_view> split_lua_message(std::string_view message) {
  if (!message.starts_with(kChunkName)) return {0, message};
  const char* digits = message.data() + kChunkName.size();
  const char* end = message.data() + message.size();
  int line = 0;
  const auto [after, ec] = std::from_chars(digits, end, line);
  if (ec != std::errc{} || end - after < 2 || after[0] != ':' || after[1] != ' ') {
    return {0, message};
  }
  return {line, std::string_view(after + 2, end)};
}

// The name a run-time message is about: the sandbox's "unknown field order.totl" and
// "unknown name adress", or Lua's "… (global 'x')", "(field 'x')", "(local 'x')" and kin.
std::string_view name_in(std::string_view message) {
  for (std::string_view prefix : {"unknown field ", "unknown name "}) {
    if (!message.starts_with(prefix)) continue;
    std::string_view name = message.substr(prefix.size());
    name = name.substr(0, name.find(' '));
    const std::size_t dot = name.rfind('.');
    return dot == std::string_view::npos ? name : name.substr(dot + 1);
  }
  if (!message.ends_with("')")) return {};
  const std::size_t open = message.rfind('\'', message.size() - 3);
  if (open == std::string_view::npos) return {};
  return message.substr(open + 1, message.size() - 3 - open);
}

}  // namespace

ExpressionText::ExpressionText(std::string_view source) : source_(source) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < source_.size(); ++i) {
    if (!is_newline(source_[i])) continue;
    // As Lua counts lines: "\r\n" and "\n\r" are one line break.
    if (i + 1 < source_.size() && is_newline(source_[i + 1]) && source_[i + 1] != source_[i]) ++i;
    line_starts_.push_back(i + 1);
  }
}

Result<ExpressionText> ExpressionText::prepare(std::string_view source) {
  if (source.size() > kMaxExpressionBytes) {
    return invalid_field("expression", "line 1, column 1: the expression is longer than " +
                                           std::to_string(kMaxExpressionBytes) + " bytes");
  }
  ExpressionText text(source);
  if (auto problem = text.lex()) return *problem;
  if (auto problem = text.check_brackets()) return *problem;
  if (auto problem = text.check_is_expression()) return *problem;
  if (auto problem = text.check_names()) return *problem;
  return text;
}

std::optional<Error> ExpressionText::lex() {
  const std::string_view s = source_;
  chunk_.assign(kChunkHead);
  std::size_t copied = 0;  // source_ before this is in chunk_
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (is_space(c)) {
      ++i;
      continue;
    }
    if (s.substr(i, 2) == "--") {
      if (const auto level = long_bracket(s, i + 2)) {
        const std::size_t end = long_bracket_close(s, i + 4 + *level, *level);
        if (end == std::string_view::npos) return error_at(i, "unfinished long comment");
        i = end;
      } else {
        while (i < s.size() && !is_newline(s[i])) ++i;
      }
      continue;
    }
    Token token;
    token.begin = i;
    std::string_view chunk_text;  // when it differs from the source
    std::size_t end = i + 1;
    if (is_alpha(c)) {
      while (end < s.size() && (is_alpha(s[end]) || is_digit(s[end]))) ++end;
      token.kind = is_keyword(s.substr(i, end - i)) ? Token::Kind::keyword : Token::Kind::name;
    } else if (is_digit(c) || (c == '.' && i + 1 < s.size() && is_digit(s[i + 1]))) {
      token.kind = Token::Kind::number;
      end = numeral_end(s, i);
    } else if (c == '"' || c == '\'') {
      token.kind = Token::Kind::string;
      end = short_string_end(s, i);
      if (end == std::string_view::npos) return error_at(i, "unfinished string");
    } else if (const auto level = long_bracket(s, i)) {
      token.kind = Token::Kind::string;
      end = long_bracket_close(s, i + 2 + *level, *level);
      if (end == std::string_view::npos) return error_at(i, "unfinished long string");
    } else if (is_ascii_punct(c)) {
      token.kind = Token::Kind::symbol;
      const auto spelling =
          std::find_if(std::begin(kSymbols), std::end(kSymbols),
                       [&](const Spelling& x) { return s.substr(i).starts_with(x.written); });
      if (spelling != std::end(kSymbols)) {
        end = i + spelling->written.size();
        token.text = spelling->lua;
        if (spelling->chunk != spelling->written) chunk_text = spelling->chunk;
        if (token.text == "and" || token.text == "or" || token.text == "not") {
          token.kind = Token::Kind::keyword;
        }
      }
    } else {
      // Lua has no use for this byte outside a string: keep a whole UTF-8 character for the
      // message.
      while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
    }
    if (token.text.empty()) token.text = s.substr(i, end - i);
    chunk_.append(s.substr(copied, i - copied));
    chunk_.append(chunk_text.empty() ? s.substr(i, end - i) : chunk_text);
    copied = end;
    token.chunk_end = chunk_.size();
    token.line = static_cast<int>(std::upper_bound(line_starts_.begin(), line_starts_.end(), i) -
                                  line_starts_.begin());
    tokens_.push_back(std::move(token));
    i = end;
  }
  chunk_.append(s.substr(copied));
  chunk_.append(kChunkTail);
  return std::nullopt;
}

std::optional<Error> ExpressionText::check_brackets() const {
  static constexpr std::string_view kOpen = "([{";
  static constexpr std::string_view kClose = ")]}";
  std::vector<const Token*> open;
  for (const Token& token : tokens_) {
    if (token.kind != Token::Kind::symbol || token.text.size() != 1) continue;
    if (kOpen.find(token.text[0]) != std::string_view::npos) {
      open.push_back(&token);
      continue;
    }
    const std::size_t kind = kClose.find(token.text[0]);
    if (kind == std::string_view::npos) continue;
    if (open.empty()) return error_at(token.begin, "'" + token.text + "' closes nothing");
    if (open.back()->text[0] != kOpen[kind]) {
      return error_at(token.begin, "'" + token.text + "' does not close the '" + open.back()->text +
                                       "' before it");
    }
    open.pop_back();
  }
  if (!open.empty()) {
    return error_at(open.back()->begin, "'" + open.back()->text + "' is never closed");
  }
  return std::nullopt;
}

std::optional<Error> ExpressionText::check_is_expression() const {
  if (tokens_.empty()) return error_at(0, "the expression is empty");
  const Token& first = tokens_.front();
  if (first.text == "return") {
    return error_at(first.begin, "leave out 'return': a rule is an expression");
  }
  for (std::string_view statement :
       {"local", "if", "while", "for", "repeat", "do", "goto", "break"}) {
    if (first.text == statement) {
      return error_at(first.begin,
                      "a rule is an expression, not a statement ('" + first.text + "')");
    }
  }
  // Outside a function, `=` can only be a comparison written wrong. Inside one Lua judges it.
  const bool has_function = std::any_of(tokens_.begin(), tokens_.end(),
                                        [](const Token& t) { return t.text == "function"; });
  if (has_function) return std::nullopt;
  int depth = 0;
  for (const Token& token : tokens_) {
    depth += nesting(token);
    if (token.kind == Token::Kind::symbol && token.text == "=" && depth == 0) {
      return error_at(token.begin, "compare with '==': a rule cannot assign with '='");
    }
  }
  return std::nullopt;
}

std::size_t ExpressionText::matching_bracket(std::size_t open) const {
  int depth = 0;
  for (std::size_t i = open; i < tokens_.size(); ++i) {
    depth += nesting(tokens_[i]);
    if (depth == 0) return i;
  }
  return tokens_.size();
}

std::optional<Error> ExpressionText::check_names() const {
  const auto text_at = [&](std::size_t i) -> std::string_view {
    return i < tokens_.size() ? std::string_view(tokens_[i].text) : std::string_view();
  };
  const auto is_name_at = [&](std::size_t i) {
    return i < tokens_.size() && tokens_[i].kind == Token::Kind::name;
  };
  // Names the expression declares (locals, parameters, loop variables) anywhere may shadow a
  // global anywhere: over-approximating scopes only ever lets a name through to the run-time check.
  std::set<std::string_view> declared;
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    const std::string_view t = tokens_[i].text;
    if (t != "local" && t != "for" && t != "function") continue;
    std::size_t j = i + 1;
    if (t == "function") {
      while (j < tokens_.size() && text_at(j) != "(") ++j;
      ++j;
    } else if (text_at(j) == "function") {
      ++j;
    }
    for (; j < tokens_.size(); ++j) {
      if (is_name_at(j)) {
        declared.insert(tokens_[j].text);
      } else if (text_at(j) != "," && text_at(j) != "<" && text_at(j) != ">") {
        break;
      }
    }
  }
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    const Token& token = tokens_[i];
    if (token.kind != Token::Kind::name || declared.contains(token.text)) continue;
    const std::string_view before = i > 0 ? text_at(i - 1) : std::string_view();
    if (before == "." || before == ":" || before == "goto" || before == "::") continue;
    if (text_at(i + 1) == "=") continue;  // a table key, or an assignment the sandbox refuses
    if (!vocabulary::is_global(token.text)) {
      return error_at(token.begin, "unknown name " + token.text);
    }

    const std::string_view separator = text_at(i + 1);
    if (const vocabulary::Table* table = vocabulary::find_table(token.text)) {
      if ((separator != "." && separator != ":") || !is_name_at(i + 2)) continue;
      const Token& member = tokens_[i + 2];
      if (!vocabulary::index_of(table->members, member.text)) {
        return error_at(member.begin,
                        std::string(table->library ? "unknown function " : "unknown field ") +
                            token.text + "." + member.text);
      }
      if (separator == ":" && !table->library) {
        return error_at(tokens_[i + 1].begin,
                        "write " + token.text + "." + member.text + " with a dot");
      }
    } else if (token.text == vocabulary::kLineFunction) {
      std::size_t close = i + 1;  // line "SKU" needs no parentheses
      if (separator == "(") close = matching_bracket(i + 1);
      if (text_at(close + 1) != "." || !is_name_at(close + 2)) continue;
      const Token& member = tokens_[close + 2];
      if (!vocabulary::index_of(vocabulary::kLineFields, member.text)) {
        return error_at(member.begin, "unknown field line(...)." + member.text);
      }
    }
  }
  return std::nullopt;
}

int ExpressionText::nesting(const Token& token) {
  if (token.kind != Token::Kind::symbol) return 0;
  if (token.text == "(" || token.text == "[" || token.text == "{") return 1;
  if (token.text == ")" || token.text == "]" || token.text == "}") return -1;
  return 0;
}

int ExpressionText::depth_before(const Token& token) const {
  int depth = 0;
  for (const Token* t = tokens_.data(); t != &token; ++t) depth += nesting(*t);
  return depth;
}

std::size_t ExpressionText::end_of_line(int line) const {
  std::size_t i = line_starts_[static_cast<std::size_t>(std::clamp(line, 1, line_count()) - 1)];
  while (i < source_.size() && !is_newline(source_[i])) ++i;
  return i;
}

Error ExpressionText::error_at(std::size_t offset, std::string_view message) const {
  offset = std::min(offset, source_.size());
  const auto line_start =
      std::prev(std::upper_bound(line_starts_.begin(), line_starts_.end(), offset));
  // Columns count characters, not bytes: rules quote Chinese names.
  const auto column =
      1 + std::count_if(source_.begin() + static_cast<std::ptrdiff_t>(*line_start),
                        source_.begin() + static_cast<std::ptrdiff_t>(offset),
                        [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  return invalid_field(
      "expression", "line " + std::to_string(line_start - line_starts_.begin() + 1) + ", column " +
                        std::to_string(column) + ": " + std::string(message));
}

Error ExpressionText::syntax_error(std::string_view lua_message,
                                   const std::function<bool(std::size_t)>& reproduces) const {
  const auto [line, message] = split_lua_message(lua_message);
  // Lua stumbled on the closing parenthesis of the chunk, on the line after the expression.
  if (line > line_count()) return error_at(source_.size(), "the expression ends too early");
  constexpr std::string_view kNear = " near '";
  const std::size_t near_at = message.rfind(kNear);
  if (near_at == std::string_view::npos || !message.ends_with('\'')) {
    return error_at(end_of_line(line), message);
  }
  const std::string_view near =
      message.substr(near_at + kNear.size(), message.size() - near_at - kNear.size() - 1);
  const Token* first = nullptr;
  const Token* meant = nullptr;
  for (const Token& token : tokens_) {
    const std::string spelling =
        token.kind == Token::Kind::other
            ? "<\\" + std::to_string(static_cast<unsigned char>(source_[token.begin])) + ">"
            : token.text;
    if (token.line != line || spelling != near) continue;
    if (first == nullptr) first = &token;
    if (reproduces(token.chunk_end)) {
      meant = &token;
      break;
    }
  }
  if (meant == nullptr) meant = first;
  if (meant == nullptr) return error_at(end_of_line(line), message);
  if (meant->kind == Token::Kind::other) {
    return error_at(meant->begin, "'" + meant->text + "' belongs inside quotes");
  }
  // Outside all brackets, the ')' Lua expected is the chunk's own.
  if (message.starts_with("')' expected near") && depth_before(*meant) == 0) {
    return error_at(meant->begin, "'" + meant->text + "' follows a complete expression");
  }
  return error_at(meant->begin, message);
}

Error ExpressionText::runtime_error(std::string_view lua_message) const {
  const auto [line, message] = split_lua_message(lua_message);
  if (line == 0) return error_at(0, message);
  const std::string_view name = name_in(message);
  for (const Token& token : tokens_) {
    if (token.kind == Token::Kind::name && token.line == line && token.text == name) {
      return error_at(token.begin, message);
    }
  }
  return error_at(line_starts_[static_cast<std::size_t>(std::clamp(line, 1, line_count()) - 1)],
                  message);
}

}  // namespace depot::rules
