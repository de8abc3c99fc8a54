#include "domain/tracking.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace depot {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

Checkpoint at(std::int64_t hour, ParcelStatus status, std::string text = "") {
  Checkpoint checkpoint;
  checkpoint.status = status;
  checkpoint.at = from_millis(0) + hours{hour};
  checkpoint.text = std::move(text);
  return checkpoint;
}

TEST(Tracking, StatusNamesRoundTrip) {
  const std::vector<std::pair<ParcelStatus, std::string>> names = {
      {ParcelStatus::info_received, "info_received"},
      {ParcelStatus::in_transit, "in_transit"},
      {ParcelStatus::out_for_delivery, "out_for_delivery"},
      {ParcelStatus::delivered, "delivered"},
      {ParcelStatus::exception, "exception"},
      {ParcelStatus::returned, "returned"},
  };
  for (const auto& [status, name] : names) {
    EXPECT_EQ(to_string(status), name);
    EXPECT_EQ(parse_parcel_status(name), status) << name;
  }
  EXPECT_EQ(parse_parcel_status("Delivered"), std::nullopt);
  EXPECT_EQ(parse_parcel_status(""), std::nullopt);
  EXPECT_EQ(parse_parcel_status("shipped"), std::nullopt);
}

TEST(Tracking, MainKuaidi100StatesFollowTheTable) {
  const std::vector<std::pair<int, ParcelStatus>> table = {
      {0, ParcelStatus::in_transit},  {1, ParcelStatus::info_received},
      {2, ParcelStatus::exception},   {3, ParcelStatus::delivered},
      {4, ParcelStatus::returned},    {5, ParcelStatus::out_for_delivery},
      {6, ParcelStatus::returned},    {7, ParcelStatus::in_transit},
      {8, ParcelStatus::in_transit},  {10, ParcelStatus::in_transit},
      {11, ParcelStatus::in_transit}, {12, ParcelStatus::in_transit},
      {13, ParcelStatus::exception},  {14, ParcelStatus::exception},
  };
  for (const auto& [state, status] : table) {
    EXPECT_EQ(status_of_kuaidi100_state(state), status) << "state " << state;
  }
}

TEST(Tracking, FinerKuaidi100StatesFollowTheTable) {
  const std::vector<std::pair<int, ParcelStatus>> table = {
      {101, ParcelStatus::info_received},    {102, ParcelStatus::info_received},
      {103, ParcelStatus::info_received},    {1001, ParcelStatus::in_transit},
      {1002, ParcelStatus::in_transit},      {1003, ParcelStatus::in_transit},
      {501, ParcelStatus::out_for_delivery}, {301, ParcelStatus::delivered},
      {302, ParcelStatus::delivered},        {303, ParcelStatus::delivered},
      {304, ParcelStatus::delivered},        {201, ParcelStatus::exception},
      {203, ParcelStatus::exception},        {206, ParcelStatus::exception},
      {209, ParcelStatus::exception},        {210, ParcelStatus::exception},
      {401, ParcelStatus::returned},
  };
  for (const auto& [state, status] : table) {
    EXPECT_EQ(status_of_kuaidi100_state(state), status) << "state " << state;
  }
}

TEST(Tracking, AnUnlistedFinerStateMapsAsItsMainState) {
  EXPECT_EQ(status_of_kuaidi100_state(199), ParcelStatus::info_received);
  EXPECT_EQ(status_of_kuaidi100_state(222), ParcelStatus::exception);
  EXPECT_EQ(status_of_kuaidi100_state(399), ParcelStatus::delivered);
  EXPECT_EQ(status_of_kuaidi100_state(402), ParcelStatus::returned);
  EXPECT_EQ(status_of_kuaidi100_state(502), ParcelStatus::out_for_delivery);
  EXPECT_EQ(status_of_kuaidi100_state(601), ParcelStatus::returned);
  EXPECT_EQ(status_of_kuaidi100_state(1004), ParcelStatus::in_transit);
  EXPECT_EQ(status_of_kuaidi100_state(1401), ParcelStatus::exception);
}

TEST(Tracking, AnUnknownStateMapsToNothing) {
  for (int state : {-1, 9, 15, 99, 901, 1501, 10000, 12345}) {
    EXPECT_EQ(status_of_kuaidi100_state(state), std::nullopt) << "state " << state;
  }
}

TEST(Tracking, AParcelWithoutCheckpointsIsInfoReceived) {
  EXPECT_EQ(parcel_status({}), ParcelStatus::info_received);
}

TEST(Tracking, TheLatestCheckpointByTimeSettlesTheStatus) {
  // Newest first, as the aggregator sends them: the order of the list does not matter.
  std::vector<Checkpoint> newest_first = {at(30, ParcelStatus::delivered),
                                          at(20, ParcelStatus::out_for_delivery),
                                          at(10, ParcelStatus::in_transit)};
  EXPECT_EQ(parcel_status(newest_first), ParcelStatus::delivered);
  std::vector<Checkpoint> oldest_first = {at(10, ParcelStatus::in_transit),
                                          at(20, ParcelStatus::out_for_delivery),
                                          at(30, ParcelStatus::exception)};
  EXPECT_EQ(parcel_status(oldest_first), ParcelStatus::exception);
  std::vector<Checkpoint> mixed = {at(20, ParcelStatus::out_for_delivery),
                                   at(5, ParcelStatus::returned), at(10, ParcelStatus::in_transit)};
  EXPECT_EQ(parcel_status(mixed), ParcelStatus::out_for_delivery);
}

TEST(Tracking, AmongEqualTimesTheLaterInTheListWins) {
  EXPECT_EQ(parcel_status({at(10, ParcelStatus::out_for_delivery), at(10, ParcelStatus::delivered),
                           at(5, ParcelStatus::in_transit)}),
            ParcelStatus::delivered);
  EXPECT_EQ(parcel_status({at(10, ParcelStatus::delivered), at(10, ParcelStatus::exception)}),
            ParcelStatus::exception);
}

TEST(Tracking, AnOrderIsDeliveredWhenEveryParcelIs) {
  EXPECT_FALSE(every_parcel_delivered({}));
  EXPECT_TRUE(every_parcel_delivered({ParcelStatus::delivered}));
  EXPECT_TRUE(every_parcel_delivered({ParcelStatus::delivered, ParcelStatus::delivered}));
  EXPECT_FALSE(every_parcel_delivered({ParcelStatus::delivered, ParcelStatus::out_for_delivery}));
  EXPECT_FALSE(every_parcel_delivered({ParcelStatus::returned, ParcelStatus::delivered}));
}

TEST(Tracking, AParcelStallsOnlyAfterMoreThanTheStallTime) {
  Instant last = from_millis(1'700'000'000'000);
  EXPECT_FALSE(tracking_stalled(ParcelStatus::in_transit, last, last + hours{48}, 48));
  EXPECT_TRUE(
      tracking_stalled(ParcelStatus::in_transit, last, last + hours{48} + milliseconds{1}, 48));
  EXPECT_FALSE(tracking_stalled(ParcelStatus::in_transit, last, last + hours{47}, 48));
  EXPECT_TRUE(tracking_stalled(ParcelStatus::info_received, last, last + hours{73}, 72));
  EXPECT_TRUE(tracking_stalled(ParcelStatus::out_for_delivery, last, last + hours{25}, 24));
  EXPECT_TRUE(tracking_stalled(ParcelStatus::exception, last, last + hours{25}, 24));
}

TEST(Tracking, ADeliveredOrReturnedParcelNeverStalls) {
  Instant last = from_millis(1'700'000'000'000);
  EXPECT_FALSE(tracking_stalled(ParcelStatus::delivered, last, last + hours{1000}, 48));
  EXPECT_FALSE(tracking_stalled(ParcelStatus::returned, last, last + hours{1000}, 48));
}

}  // namespace
}  // namespace depot
