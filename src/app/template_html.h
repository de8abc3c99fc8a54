#pragma once
// Plain notification text as a small HTML document for the HTML part of an email: escaped,
// paragraphs at blank lines, <br> at single line breaks, http(s) URLs as links. Pure; safe from
// any thread.

#include <string>
#include <string_view>

namespace depot {

// `text` and `title` are plain text (not HTML); the answer is a complete UTF-8 document.
std::string text_to_html(std::string_view title, std::string_view text);

// `text` with &, <, >, " and ' escaped for HTML text and attribute values.
std::string html_escaped(std::string_view text);

}  // namespace depot
