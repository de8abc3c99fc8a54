#pragma once
// What the Kuaidi100 tests share: one merchant's account, parcels, checkpoints as Kuaidi100 writes
// them (resultv2=1: each with its state's name and, where the carrier gives one, its area), and
// pushes built from them.

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <utility>

#include "app/carrier_tracker.h"

namespace depot::testing {

constexpr const char* kKey = "b7c1e0d3a9f24c6e8d5a7b3c1e0f9a2d";
constexpr const char* kCustomer = "5A0E3D7C9B1F4A6E8C2D0B7A9E3F1C5D";
constexpr const char* kSalt = "s4lt-7f3c9e1a";
constexpr const char* kCallback = "http://depot.example/api/v1/carriers/kuaidi100/push/tok-91c2";

inline TrackingAccount account_at(std::string url) {
  return {std::move(url), kKey, kCustomer, kSalt};
}

inline TrackedParcel parcel(std::string company, std::string number, std::string phone = "") {
  return {std::move(company), std::move(number), std::move(phone), kCallback};
}

inline boost::json::object checkpoint_json(std::string_view time, std::string_view context,
                                           std::string_view status_name,
                                           std::string_view area = "") {
  boost::json::object item{{"time", time}, {"ftime", time}, {"context", context}};
  if (!status_name.empty()) item["status"] = status_name;
  if (!area.empty()) item["areaName"] = area;
  return item;
}

inline const boost::json::object kCollected = checkpoint_json(
    "2024-05-01 00:10:00", "【上海市】【浦东新区】已揽收", "揽收", "上海,上海市,浦东新区");
inline const boost::json::object kMoving = checkpoint_json(
    "2024-05-01 08:30:00", "【上海市】快件离开【上海转运中心】已发往【杭州转运中心】", "在途");
inline const boost::json::object kOutForDelivery = checkpoint_json(
    "2024-05-02 14:05:09", "【杭州市】快件已在【杭州西湖】派件", "派件", "浙江,杭州市,西湖区");
inline const boost::json::object kSigned = checkpoint_json(
    "2024-05-02 18:40:00", "【杭州市】已签收，签收人：本人", "签收", "浙江,杭州市,西湖区");

// A push's param as Kuaidi100 writes it.
inline std::string push_param(std::string_view status, std::string_view state,
                              std::string_view ischeck, boost::json::array data,
                              std::string_view message = "") {
  boost::json::object last{{"message", "ok"},        {"state", state},         {"status", "200"},
                           {"condition", "F00"},     {"ischeck", ischeck},     {"com", "zhongtong"},
                           {"nu", "73100054187651"}, {"data", std::move(data)}};
  boost::json::object push{
      {"status", status}, {"billstatus", "got"}, {"message", message},           {"autoCheck", "0"},
      {"comOld", ""},     {"comNew", ""},        {"lastResult", std::move(last)}};
  return boost::json::serialize(push);
}

}  // namespace depot::testing
