#pragma once
// What a geocoder said about a street address (SPEC SHP-1): whether it found it and in which
// district (GB/T 2260 code). Verification compares it with the district the order names.

#include <string>

namespace depot {

struct GeocodeAnswer {
  bool found = false;             // false: the service knows no such address
  std::string adcode;             // GB/T 2260 code of the district the address lies in
  std::string formatted_address;  // the service's reading of the address
  std::string level;              // how precise the match is ("门牌号", "道路", "区县", …)
};

}  // namespace depot
