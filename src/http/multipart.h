#pragma once
// multipart/form-data (RFC 7578) bodies, as uploaded by browsers and curl -F.

#include <string>
#include <string_view>
#include <vector>

#include "domain/result.h"

namespace depot::http {

struct FormPart {
  std::string name;
  std::string filename;
  std::string content_type;
  std::string_view data;  // points into the body
};

Result<std::vector<FormPart>> parse_multipart(std::string_view content_type, std::string_view body);

}  // namespace depot::http
