#include "domain/tracking.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace depot {

namespace {

constexpr ParcelStatus kAllStatuses[] = {
    ParcelStatus::info_received, ParcelStatus::in_transit, ParcelStatus::out_for_delivery,
    ParcelStatus::delivered,     ParcelStatus::exception,  ParcelStatus::returned,
};

// Kuaidi100's `state` codes. The main codes come with every answer; the finer ones (resultv2)
// refine a main code: 1xx 揽收, 2xx 疑难, 3xx 签收, 4xx 退签, 5xx 派件, 10xx 在途.
constexpr std::pair<int, ParcelStatus> kKuaidi100States[] = {
    {0, ParcelStatus::in_transit},          // 在途
    {1, ParcelStatus::info_received},       // 揽收
    {2, ParcelStatus::exception},           // 疑难
    {3, ParcelStatus::delivered},           // 签收
    {4, ParcelStatus::returned},            // 退签: refused and back with the sender
    {5, ParcelStatus::out_for_delivery},    // 派件
    {6, ParcelStatus::returned},            // 退回: on its way back to the sender
    {7, ParcelStatus::in_transit},          // 转投: handed to another carrier or address
    {8, ParcelStatus::in_transit},          // 清关
    {10, ParcelStatus::in_transit},         // 待清关
    {11, ParcelStatus::in_transit},         // 清关中
    {12, ParcelStatus::in_transit},         // 已清关
    {13, ParcelStatus::exception},          // 清关异常: held at customs
    {14, ParcelStatus::exception},          // 拒签: the recipient refused it
    {101, ParcelStatus::info_received},     // 已下单
    {102, ParcelStatus::info_received},     // 待揽收
    {103, ParcelStatus::info_received},     // 已揽收
    {201, ParcelStatus::exception},         // 超时未签收
    {202, ParcelStatus::exception},         // 超时未更新
    {203, ParcelStatus::exception},         // 拒收
    {204, ParcelStatus::exception},         // 派件异常
    {205, ParcelStatus::exception},         // 柜或驿站超时未取
    {206, ParcelStatus::exception},         // 无法联系
    {207, ParcelStatus::exception},         // 超区
    {208, ParcelStatus::exception},         // 滞留
    {209, ParcelStatus::exception},         // 破损
    {210, ParcelStatus::exception},         // 销单
    {301, ParcelStatus::delivered},         // 本人签收
    {302, ParcelStatus::delivered},         // 派件异常后签收
    {303, ParcelStatus::delivered},         // 代签
    {304, ParcelStatus::delivered},         // 投柜或站签收
    {401, ParcelStatus::returned},          // 已销单
    {501, ParcelStatus::out_for_delivery},  // 投柜或驿站: waiting to be picked up
    {1001, ParcelStatus::in_transit},       // 到达派件城市
    {1002, ParcelStatus::in_transit},       // 干线
    {1003, ParcelStatus::in_transit},       // 转递
};

std::optional<ParcelStatus> listed_state(int state) {
  for (const auto& [code, status] : kKuaidi100States) {
    if (code == state) return status;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ParcelStatus status) {
  switch (status) {
    case ParcelStatus::info_received:
      return "info_received";
    case ParcelStatus::in_transit:
      return "in_transit";
    case ParcelStatus::out_for_delivery:
      return "out_for_delivery";
    case ParcelStatus::delivered:
      return "delivered";
    case ParcelStatus::exception:
      return "exception";
    case ParcelStatus::returned:
      return "returned";
  }
  return "in_transit";
}

std::optional<ParcelStatus> parse_parcel_status(std::string_view text) {
  for (ParcelStatus status : kAllStatuses) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

std::optional<ParcelStatus> status_of_kuaidi100_state(int state) {
  if (state < 0) return std::nullopt;
  if (auto listed = listed_state(state)) return listed;
  // A finer code names its main code in front: 5xx is 派件, 10xx is 在途 (0), 13xx is 13.
  if (state >= 100 && state <= 999) return listed_state(state / 100);
  if (state >= 1000 && state <= 1099) return listed_state(0);
  if (state >= 1100 && state <= 9999) return listed_state(state / 100);
  return std::nullopt;
}

ParcelStatus parcel_status(const std::vector<Checkpoint>& checkpoints) {
  const Checkpoint* latest = nullptr;
  for (const Checkpoint& checkpoint : checkpoints) {
    if (latest == nullptr || checkpoint.at >= latest->at) latest = &checkpoint;
  }
  return latest == nullptr ? ParcelStatus::info_received : latest->status;
}

bool every_parcel_delivered(const std::vector<ParcelStatus>& statuses) {
  return !statuses.empty() &&
         std::all_of(statuses.begin(), statuses.end(),
                     [](ParcelStatus status) { return status == ParcelStatus::delivered; });
}

bool tracking_stalled(ParcelStatus status, Instant last_update, Instant now,
                      std::int64_t stall_hours) {
  if (status == ParcelStatus::delivered || status == ParcelStatus::returned) return false;
  return now - last_update > std::chrono::hours{stall_hours};
}

}  // namespace depot
