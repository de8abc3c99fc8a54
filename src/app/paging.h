#pragma once
// Cursor pages, shared by every list: a use case checks the requested size, asks the store for
// one item more than that, and the extra item tells whether another page follows.

#include <string>
#include <vector>

#include "domain/result.h"

namespace depot {

inline constexpr int kMaxPageSize = 200;

inline Status check_page_size(int limit) {
  if (limit >= 1 && limit <= kMaxPageSize) return {};
  return invalid_field("limit", "must be between 1 and " + std::to_string(kMaxPageSize));
}

// Cuts `items` (fetched with limit + 1) to `limit` and returns the cursor of the page's last item,
// or an empty cursor when this was the last page.
template <class T, class CursorOf>
auto trim_page(std::vector<T>& items, int limit, CursorOf cursor_of)
    -> decltype(cursor_of(items.back())) {
  if (static_cast<int>(items.size()) <= limit) return {};
  items.resize(limit);
  return cursor_of(items.back());
}

}  // namespace depot
