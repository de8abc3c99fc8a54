#include "http/multipart.h"

#include <algorithm>
#include <cctype>

#include "domain/text.h"

namespace depot::http {

namespace {

// The value of `name=` in a header such as `form-data; name="file"; filename="a.png"`.
std::string parameter(std::string_view header, std::string_view name) {
  std::string lowered = ascii_lower(header);
  std::string key = std::string(name) + "=";
  std::size_t at = 0;
  while ((at = lowered.find(key, at)) != std::string::npos) {
    bool starts_word = at == 0 || lowered[at - 1] == ';' || lowered[at - 1] == ' ';
    if (starts_word) break;
    at += key.size();
  }
  if (at == std::string::npos) return {};
  std::string_view value = header.substr(at + key.size());
  if (!value.empty() && value.front() == '"') {
    std::size_t close = value.find('"', 1);
    return std::string(value.substr(1, close == std::string_view::npos ? close : close - 1));
  }
  return std::string(value.substr(0, value.find(';')));
}

Error malformed(const std::string& why) {
  return error(ErrorCode::malformed, "the multipart body is malformed: " + why);
}

}  // namespace

Result<std::vector<FormPart>> parse_multipart(std::string_view content_type,
                                              std::string_view body) {
  if (ascii_lower(content_type).rfind("multipart/form-data", 0) != 0) {
    return error(ErrorCode::unsupported_media, "the body must be multipart/form-data");
  }
  std::string boundary = parameter(content_type, "boundary");
  if (boundary.empty()) return malformed("no boundary");
  std::string delimiter = "--" + boundary;
  std::size_t at = body.find(delimiter);
  if (at == std::string_view::npos) return malformed("no first boundary");
  std::vector<FormPart> parts;
  for (;;) {
    at += delimiter.size();
    if (body.substr(at, 2) == "--") break;  // the closing delimiter
    if (body.substr(at, 2) != "\r\n") return malformed("boundary not followed by CRLF");
    at += 2;
    std::size_t headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos) return malformed("part headers do not end");
    FormPart part;
    std::string_view headers = body.substr(at, headers_end - at);
    while (!headers.empty()) {
      std::size_t line_end = headers.find("\r\n");
      std::string_view line = headers.substr(0, line_end);
      headers = line_end == std::string_view::npos ? "" : headers.substr(line_end + 2);
      std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string name = ascii_lower(line.substr(0, colon));
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (name == "content-disposition") {
        part.name = parameter(value, "name");
        part.filename = parameter(value, "filename");
      } else if (name == "content-type") {
        part.content_type = std::string(value);
      }
    }
    std::size_t data_start = headers_end + 4;
    std::size_t next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string_view::npos) return malformed("a part does not end");
    part.data = body.substr(data_start, next - data_start);
    parts.push_back(std::move(part));
    at = next + 2;
  }
  return parts;
}

}  // namespace depot::http
