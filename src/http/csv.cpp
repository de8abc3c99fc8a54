#include "http/csv.h"

#include "domain/text.h"
#include "http/multipart.h"
#include "http/url.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace depot::http {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

Error unreadable(std::size_t offset) {
  return invalid_field("body", "is neither UTF-8 nor GBK (GB18030) text: byte " +
                                   std::to_string(offset) + " cannot be read");
}

// GB18030 to UTF-8 with glibc's iconv, failing on the first invalid or truncated sequence.
Result<std::string> gb18030_to_utf8(std::string_view bytes) {
  iconv_t descriptor = iconv_open("UTF-8", "GB18030");
  // NOLINTNEXTLINE(performance-no-int-to-ptr): (iconv_t)-1 is how iconv_open reports failure.
  if (descriptor == reinterpret_cast<iconv_t>(-1)) {
    return error(ErrorCode::internal, "iconv cannot convert from GB18030");
  }
  std::unique_ptr<void, int (*)(iconv_t)> closer(descriptor, iconv_close);
  // Each GB18030 character becomes at most 3/2 as many UTF-8 bytes; grow only if that is wrong.
  std::string out(bytes.size() / 2 * 3 + 16, '\0');
  // iconv's input parameter is not const-qualified, but iconv never writes through it.
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  std::size_t used = 0;
  while (in_left > 0) {
    char* out_at = out.data() + used;
    std::size_t out_left = out.size() - used;
    std::size_t converted = iconv(descriptor, &in, &in_left, &out_at, &out_left);
    used = out.size() - out_left;
    if (converted != static_cast<std::size_t>(-1)) continue;
    if (errno != E2BIG) return unreadable(static_cast<std::size_t>(in - bytes.data()));
    out.resize(out.size() * 2);
  }
  out.resize(used);
  return out;
}

}  // namespace

Result<std::string> decode_csv_text(std::string_view bytes) {
  if (bytes.starts_with(kUtf8Bom)) {
    bytes.remove_prefix(kUtf8Bom.size());
    // The mark declares UTF-8; reading the rest as GBK would only turn errors into mojibake.
    if (!is_valid_utf8(bytes)) {
      return invalid_field("body", "starts with a UTF-8 byte order mark but is not valid UTF-8");
    }
    return std::string(bytes);
  }
  if (is_valid_utf8(bytes)) return std::string(bytes);
  Result<std::string> text = gb18030_to_utf8(bytes);
  // GB18030 has its own byte order mark (84 31 95 33), which decodes to U+FEFF.
  if (text.ok() && std::string_view(*text).starts_with(kUtf8Bom)) text->erase(0, kUtf8Bom.size());
  return text;
}

Result<std::vector<CsvRow>> parse_csv(std::string_view text) {
  std::vector<CsvRow> rows;
  const std::size_t size = text.size();
  std::size_t at = 0;
  std::size_t line = 1;
  while (at < size) {
    CsvRow row{line, {}};
    bool quoted = false;
    for (;;) {  // one field per turn, up to a comma (next field) or a line end (next record)
      std::string field;
      if (at < size && text[at] == '"') {
        quoted = true;
        const std::size_t opened_on = line;
        ++at;
        for (;;) {
          std::size_t quote = text.find('"', at);
          if (quote == std::string_view::npos) {
            return invalid_field(
                "body", "line " + std::to_string(opened_on) + ": a quoted field is not closed");
          }
          std::string_view chunk = text.substr(at, quote - at);
          line += static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
          field.append(chunk);
          at = quote + 1;
          if (at < size && text[at] == '"') {  // "" stands for one quote
            field.push_back('"');
            ++at;
            continue;
          }
          break;
        }
      }
      std::size_t end = std::min(text.find_first_of(",\n", at), size);
      std::string_view rest = text.substr(at, end - at);
      if (end == size || text[end] == '\n') {
        if (rest.ends_with('\r')) rest.remove_suffix(1);  // CRLF
      }
      field.append(rest);
      row.fields.push_back(std::move(field));
      at = end;
      if (at < size && text[at] == ',') {
        ++at;
        continue;
      }
      break;
    }
    if (at < size) {  // the '\n' that ended the record
      ++at;
      ++line;
    }
    bool blank = !quoted && row.fields.size() == 1 && row.fields.front().empty();
    if (!blank) rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::vector<CsvRow>> csv_records(const Request& request) {
  std::string type = ascii_lower(trimmed(request.header("content-type")));
  std::string_view bytes = request.body;
  if (type.starts_with("multipart/form-data")) {
    Result<std::vector<FormPart>> parts = parse_multipart(request.header("content-type"), bytes);
    if (!parts.ok()) return parts.error();
    auto file = std::find_if(parts->begin(), parts->end(),
                             [](const FormPart& p) { return p.name == "file"; });
    if (file == parts->end()) return invalid_field("file", "is required: a part named file");
    bytes = file->data;
  } else if (!type.starts_with("text/csv")) {
    return error(ErrorCode::unsupported_media,
                 "the body must be text/csv, or multipart/form-data with a part named file");
  }
  Result<std::string> text = decode_csv_text(bytes);
  if (!text.ok()) return text.error();
  return parse_csv(*text);
}

}  // namespace depot::http
