#include "app/template_html.h"

#include <algorithm>
#include <vector>

#include "domain/text.h"

namespace depot {

namespace {

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 3986 characters (and '%'); anything else — a space, a quote, a CJK character or full-width
// punctuation such as "。" — ends a URL written in running text.
bool is_url_char(char c) {
  if (is_ascii_alnum(c)) return true;
  std::string_view allowed = "-._~:/?#[]@!$&'()*+,;=%";
  return allowed.find(c) != std::string_view::npos;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && ascii_lower(text.substr(0, prefix.size())) == prefix;
}

// Punctuation closing a sentence, or a bracket closing one opened before the URL, is not part of
// the URL that `text` ends with.
bool ends_outside_url(std::string_view text) {
  char last = text.back();
  if (std::string_view(".,;:!?'").find(last) != std::string_view::npos) return true;
  return last == ')' &&
         std::count(text.begin(), text.end(), '(') < std::count(text.begin(), text.end(), ')');
}

// The length of the URL starting at text[0], or 0 when none starts there.
std::size_t url_length(std::string_view text) {
  std::size_t scheme = starts_with_ignoring_case(text, "https://")  ? 8
                       : starts_with_ignoring_case(text, "http://") ? 7
                                                                    : 0;
  if (scheme == 0) return 0;
  std::size_t end = scheme;
  while (end < text.size() && is_url_char(text[end])) ++end;
  while (end > scheme && ends_outside_url(text.substr(0, end))) --end;
  return end > scheme ? end : 0;
}

std::string linked_line(std::string_view line) {
  std::string html;
  std::size_t plain_from = 0;
  for (std::size_t at = 0; at < line.size();) {
    bool word_start = at == 0 || !is_ascii_alnum(line[at - 1]);
    std::size_t length = word_start ? url_length(line.substr(at)) : 0;
    if (length == 0) {
      ++at;
      continue;
    }
    std::string url = html_escaped(line.substr(at, length));
    html += html_escaped(line.substr(plain_from, at - plain_from));
    html += "<a href=\"" + url + "\">" + url + "</a>";
    at += length;
    plain_from = at;
  }
  html += html_escaped(line.substr(plain_from));
  return html;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (true) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

}  // namespace

std::string html_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string text_to_html(std::string_view title, std::string_view text) {
  std::string body;
  bool in_paragraph = false;
  for (std::string_view line : lines_of(text)) {
    if (trimmed(line).empty()) {
      if (in_paragraph) body += "</p>\n";
      in_paragraph = false;
      continue;
    }
    body += in_paragraph ? "<br>\n" : "<p>";
    body += linked_line(line);
    in_paragraph = true;
  }
  if (in_paragraph) body += "</p>\n";

  std::string html = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n";
  if (!trimmed(title).empty()) html += "<title>" + html_escaped(title) + "</title>\n";
  html += "</head>\n<body>\n" + body + "</body>\n</html>\n";
  return html;
}

}  // namespace depot
