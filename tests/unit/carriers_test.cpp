#include "domain/carriers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

namespace depot {
namespace {

// Numbers shaped like real waybills (check digits computed where the carrier has one), and near
// misses that must be refused.
struct TrackingCases {
  std::string_view code;
  std::vector<std::string_view> valid;
  std::vector<std::string_view> invalid;
};

const std::vector<TrackingCases>& tracking_cases() {
  static const std::vector<TrackingCases> kCases = {
      {"SF",
       {"SF1234567890123", "SF0283746519203", "sf1402938475610", " SF1402938475610\t",
        "028374651920"},
       {"SF123456789012", "SF12345678901234", "SX1234567890123", "SF12345678901A3",
        "SF 1234567890123", "12345678901", "SF"}},
      {"ZTO",
       {"73100054187651", "78312345678901", "754012345678901", "536201234567"},
       {"13100054187651", "83100054187651", "73100054187", "7310005418765123", "7310005418765A",
        "ZTO73100054187651"}},
      {"YTO",
       {"YT7520386201839", "YT2234567890123456", "yt7520386201839", "8512345678"},
       {"YT123456789012", "YT12345678901234567", "YD7520386201839", "YT752038620183X",
        "7520386201839"}},
      {"STO",
       {"773165231258961", "77316523125896", "268123456789", "668012345678"},
       {"12345678901234", "70316523125896", "77316523125", "7731652312589612", "STO773165231258"}},
      {"YD",
       {"462598779470531", "431234567890123", "3100123456789", "1202345678901"},
       {"562598779470531", "46259877947053", "4625987794705312", "2202345678901",
        "46259877947053X"}},
      {"JD",
       {"JD0012345678901", "JDVA11408814483", "JDX012345678901", "jdk012345678901"},
       {"JD001234567890", "JD00123456789012", "JE0012345678901", "JDVAB1408814483",
        "JD00123456789A1", "0012345678901"}},
      {"JT",
       {"JT0006968326954", "JT3002232682242", "jt5012345678901"},
       {"JT000696832695", "JT00069683269541", "JS0006968326954", "0006968326954",
        "JT000696832695X"}},
      {"EMS",
       {"EA123456785CN", "EE987654326CN", "ea123456785cn", "1100123456789", "9876543210123"},
       {"EA123456786CN", "LP123456785CN", "E1123456785CN", "EA12345678CN", "2100123456789",
        "110012345678"}},
      {"YZPY",
       {"RR123456785CN", "CP987654326CN", "LP104862180CN", "1151234567890", "9890123456789"},
       {"RR123456784CN", "RR12345678SCN", "5151234567890", "115123456789", "R1123456785CN"}},
      {"DBL",
       {"DPK364112047425", "DPK300585915441", "58234567", "6123456789"},
       {"DPK36411204742", "DPK3641120474251", "DPX364112047425", "1234567", "12345678901"}},
      {"ZJS",
       {"ZJS001234567890", "A001234567890", "4212345678"},
       {"ZJS00123456789", "B001234567890", "ZJS0012345678901", "421234567", "ZJS00123456789O"}},
      {"UPS",
       {"1Z5R89390357567127", "1Z879E930346834440", "1z410e7w0392751591", "1Z8V92A70367203024",
        "1Z999AA10123456784"},
       {"1Z5R89390357567128", "2Z5R89390357567127", "1Z5R8939035756712", "1Z1111111111111111",
        "1Z5R8939035756712Z", "1Z5R8939-357567127"}},
      {"FEDEX",
       {"986578788855", "477179081230", "799531274483", "041441760228964", "61299998820821171811",
        "9611020987654312345672"},
       {"996578788855", "98657878885", "9865787888551", "98657878885A", "1Z5R89390357567127"}},
      {"DHL",
       {"3318810025", "8487135506", "1099255990", "73891051146", "JJD0099999999", "JVGL0999999990"},
       {"3318810010", "331881002", "JJD009999", "XJD0099999999", "JJ0099999999", "3318810025X"}},
  };
  return kCases;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

TEST(Carriers, EveryCarrierHasTrackingCases) {
  for (const Carrier& carrier : all_carriers()) {
    auto found = std::find_if(tracking_cases().begin(), tracking_cases().end(),
                              [&](const TrackingCases& c) { return c.code == carrier.code; });
    ASSERT_NE(found, tracking_cases().end()) << carrier.code;
    EXPECT_GE(found->valid.size(), 2u) << carrier.code;
    EXPECT_GE(found->invalid.size(), 3u) << carrier.code;
  }
}

TEST(Carriers, AcceptsWellFormedNumbers) {
  for (const TrackingCases& cases : tracking_cases()) {
    const Carrier* carrier = find_carrier(cases.code);
    ASSERT_NE(carrier, nullptr) << cases.code;
    for (std::string_view number : cases.valid) {
      EXPECT_TRUE(is_valid_tracking_no(*carrier, number)) << cases.code << " " << number;
    }
  }
}

TEST(Carriers, RefusesMalformedNumbers) {
  for (const TrackingCases& cases : tracking_cases()) {
    const Carrier* carrier = find_carrier(cases.code);
    ASSERT_NE(carrier, nullptr) << cases.code;
    for (std::string_view number : cases.invalid) {
      EXPECT_FALSE(is_valid_tracking_no(*carrier, number)) << cases.code << " " << number;
    }
    for (std::string_view blank : {"", "   ", "\t\r\n"}) {
      EXPECT_FALSE(is_valid_tracking_no(*carrier, blank)) << cases.code;
    }
    std::string very_long(100, '1');
    EXPECT_FALSE(is_valid_tracking_no(*carrier, very_long)) << cases.code;
    EXPECT_FALSE(is_valid_tracking_no(*carrier, "顺丰1234567890123")) << cases.code;
  }
}

TEST(Carriers, FindsByEitherCodeIgnoringCase) {
  const Carrier* sf = find_carrier("SF");
  ASSERT_NE(sf, nullptr);
  EXPECT_EQ(sf->name_zh, "顺丰速运");
  EXPECT_EQ(find_carrier("sf"), sf);
  EXPECT_EQ(find_carrier("shunfeng"), sf);
  EXPECT_EQ(find_carrier("ShunFeng"), sf);
  EXPECT_EQ(find_carrier(" SF "), sf);
  for (const Carrier& carrier : all_carriers()) {
    EXPECT_EQ(find_carrier(carrier.code), &carrier) << carrier.code;
    EXPECT_EQ(find_carrier(lower(carrier.code)), &carrier) << carrier.code;
    EXPECT_EQ(find_carrier(carrier.kuaidi100), &carrier) << carrier.kuaidi100;
    std::string upper(carrier.kuaidi100);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(find_carrier(upper), &carrier) << carrier.kuaidi100;
  }
}

TEST(Carriers, UnknownCodesFindNothing) {
  EXPECT_EQ(find_carrier(""), nullptr);
  EXPECT_EQ(find_carrier("XX"), nullptr);
  EXPECT_EQ(find_carrier("shunfengx"), nullptr);
  EXPECT_EQ(find_carrier("S"), nullptr);
  EXPECT_EQ(find_carrier("顺丰速运"), nullptr);
}

TEST(Carriers, CodesAreUniqueAcrossBothNamespaces) {
  // find_carrier looks in both columns, so a key may name only one carrier in either.
  std::map<std::string, std::string_view> owner;
  for (const Carrier& carrier : all_carriers()) {
    for (std::string_view key : {carrier.code, carrier.kuaidi100}) {
      auto [it, inserted] = owner.emplace(lower(key), carrier.code);
      EXPECT_TRUE(inserted || it->second == carrier.code)
          << key << " names both " << it->second << " and " << carrier.code;
    }
    EXPECT_FALSE(carrier.name_zh.empty());
    EXPECT_FALSE(carrier.name_en.empty());
    EXPECT_FALSE(carrier.tracking_format.empty());
    EXPECT_NE(carrier.matches, nullptr);
  }
}

TEST(Carriers, ListsTheMajorCarriers) {
  for (std::string_view code : {"shunfeng", "zhongtong", "yuantong", "shentong", "yunda", "jd",
                                "ems", "jtexpress", "debangwuliu", "ups", "fedex", "dhl"}) {
    EXPECT_NE(find_carrier(code), nullptr) << code;
  }
}

}  // namespace
}  // namespace depot
