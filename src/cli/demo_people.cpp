#include "cli/demo_people.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>
#include <stdexcept>

namespace depot::cli {

namespace {

// The most common surnames, the first ones the most common.
constexpr std::string_view kSurnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏",
    "苏", "吕", "丁", "任", "卢", "姚", "沈", "钟", "姜", "崔", "谭", "陆", "范", "汪", "廖"};

constexpr std::string_view kGivenParts[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
    "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "辉", "玲", "鑫",
    "宇", "浩", "欣", "怡", "佳", "琪", "晨", "轩", "涵", "梓", "子", "睿", "博", "雨", "思",
    "嘉", "晓", "婷", "雪", "倩", "俊", "凯", "鹏", "飞", "亮", "斌", "波", "琳", "颖", "慧",
    "欢", "彤", "悦", "诗", "晶", "瑶", "淑", "兰", "海", "峰", "志", "昊"};

// Mobile prefixes of China Mobile, China Unicom and China Telecom in the 13x, 15x and 18x series.
constexpr std::string_view kMobilePrefixes[] = {
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "180", "181", "182", "183", "185", "186", "187"};

constexpr std::string_view kRoads[] = {"人民路", "解放路", "中山路", "建设路", "文化路", "新华路",
                                       "和平路", "长江路", "黄河路", "学院路", "青年路", "光明路",
                                       "胜利路", "朝阳路", "南京路", "北京路", "延安路", "复兴路",
                                       "幸福路", "滨江路", "湖滨路", "府前路", "东风路", "迎宾路"};

constexpr std::string_view kCompounds[] = {
    "阳光花园", "翠苑小区", "锦绣家园", "绿城桂花园", "万科城", "碧桂园", "金色家园", "春江花月",
    "华润府",   "保利花园", "世纪新城", "丽景湾",     "星河湾", "紫金苑", "富力城",   "龙湖天街"};

constexpr DemoPlace kPlaces[] = {
    {"浙江省", "杭州市", "西湖区", 0, 6},
    {"浙江省", "杭州市", "拱墅区", 0, 4},
    {"浙江省", "杭州市", "余杭区", 0, 4},
    {"浙江省", "杭州市", "滨江区", 0, 3},
    {"浙江省", "杭州市", "上城区", 0, 3},
    {"浙江省", "宁波市", "鄞州区", 0, 3},
    {"浙江省", "温州市", "鹿城区", 0, 2},
    {"浙江省", "绍兴市", "越城区", 0, 1.5},
    {"浙江省", "金华市", "义乌市", 0, 1.5},
    {"上海市", "上海市", "浦东新区", 1, 7},
    {"上海市", "上海市", "徐汇区", 1, 4},
    {"上海市", "上海市", "闵行区", 1, 4},
    {"上海市", "上海市", "静安区", 1, 3},
    {"江苏省", "南京市", "鼓楼区", 1, 3},
    {"江苏省", "南京市", "江宁区", 1, 2},
    {"江苏省", "苏州市", "姑苏区", 1, 2},
    {"江苏省", "苏州市", "吴中区", 1, 2},
    {"江苏省", "无锡市", "梁溪区", 1, 1.5},
    {"安徽省", "合肥市", "蜀山区", 1, 2},
    {"北京市", "北京市", "朝阳区", 2, 6},
    {"北京市", "北京市", "海淀区", 2, 5},
    {"天津市", "天津市", "南开区", 2, 2},
    {"广东省", "广州市", "天河区", 2, 4},
    {"广东省", "广州市", "番禺区", 2, 2},
    {"广东省", "深圳市", "南山区", 2, 4},
    {"广东省", "深圳市", "福田区", 2, 3},
    {"福建省", "厦门市", "思明区", 2, 2},
    {"福建省", "福州市", "鼓楼区", 2, 1.5},
    {"江西省", "南昌市", "东湖区", 2, 1},
    {"湖北省", "武汉市", "洪山区", 2, 3},
    {"湖南省", "长沙市", "岳麓区", 2, 2},
    {"山东省", "济南市", "历下区", 2, 1.5},
    {"山东省", "青岛市", "市南区", 2, 2},
    {"河南省", "郑州市", "金水区", 2, 2},
    {"河北省", "石家庄市", "长安区", 2, 1},
    {"四川省", "成都市", "武侯区", 3, 4},
    {"四川省", "成都市", "锦江区", 3, 2},
    {"重庆市", "重庆市", "渝北区", 3, 3},
    {"陕西省", "西安市", "雁塔区", 3, 2.5},
    {"辽宁省", "沈阳市", "和平区", 3, 1.5},
    {"辽宁省", "大连市", "中山区", 3, 1.5},
    {"吉林省", "长春市", "朝阳区", 3, 1},
    {"黑龙江省", "哈尔滨市", "南岗区", 3, 1},
    {"广西壮族自治区", "南宁市", "青秀区", 3, 1},
    {"贵州省", "贵阳市", "南明区", 3, 1},
    {"云南省", "昆明市", "五华区", 3, 1.5},
    {"山西省", "太原市", "小店区", 3, 1},
    {"海南省", "海口市", "龙华区", 3, 0.8},
    {"内蒙古自治区", "呼和浩特市", "新城区", 3, 0.5},
    {"新疆维吾尔自治区", "乌鲁木齐市", "天山区", 4, 0.6},
    {"甘肃省", "兰州市", "城关区", 4, 0.5},
    {"宁夏回族自治区", "银川市", "兴庆区", 4, 0.3},
};

// SF and JD fly and run their own fleets; ZTO and YTO are the franchised networks most Taobao
// parcels travel by, cheaper and slower.
constexpr DemoCarrier kCarriers[] = {
    {"SF", 0.6},
    {"JD", 0.7},
    {"ZTO", 1.0},
    {"YTO", 1.1},
};

std::string digits(std::int64_t value, int width) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%0*lld", width, static_cast<long long>(value));
  return buffer;
}

std::string street_address(DemoRandom& random) {
  if (random.chance(0.5)) {
    return std::string(random.one_of<std::string_view>(kRoads)) +
           std::to_string(random.between(1, 999)) + "号" + std::to_string(random.between(1, 30)) +
           "栋" + std::to_string(random.between(1, 6)) + "单元" +
           std::to_string(random.between(1, 32)) + digits(random.between(1, 4), 2);
  }
  return std::string(random.one_of<std::string_view>(kCompounds)) +
         std::to_string(random.between(1, 40)) + "幢" + std::to_string(random.between(1, 28)) +
         digits(random.between(1, 6), 2) + "室";
}

}  // namespace

std::span<const DemoPlace> demo_places() { return kPlaces; }

std::span<const DemoCarrier> demo_carriers() { return kCarriers; }

double standard_transit_hours(int zone) {
  constexpr std::array<double, 5> kHours = {20, 30, 46, 66, 96};
  return kHours[static_cast<std::size_t>(std::clamp(zone, 0, 4))];
}

DemoBuyer new_buyer(DemoRandom& random, std::set<std::string>& phones_taken) {
  DemoBuyer buyer;
  // Surnames are drawn with weights falling along the list, as they are spread in China.
  std::array<double, std::size(kSurnames)> surname_weights{};
  for (std::size_t i = 0; i < surname_weights.size(); ++i) surname_weights[i] = 1.0 / (i + 6);
  std::string name(kSurnames[random.pick(surname_weights)]);
  name += random.one_of<std::string_view>(kGivenParts);
  if (random.chance(0.6)) name += random.one_of<std::string_view>(kGivenParts);
  buyer.customer.name = std::move(name);
  do {
    buyer.customer.phone = std::string(random.one_of<std::string_view>(kMobilePrefixes)) +
                           digits(random.below(100000000), 8);
  } while (!phones_taken.insert(buyer.customer.phone).second);

  double channel = random.unit();
  if (channel < 0.2) {
    buyer.customer.email = "buyer" + buyer.customer.phone.substr(3) + "@example.com";
    buyer.customer.preferred_channels = {"email"};
  } else if (channel < 0.45) {
    buyer.customer.wechat_openid = "oDemo" + buyer.customer.phone + "WeChat";
    buyer.customer.preferred_channels = {"wechat"};
  } else {
    buyer.customer.preferred_channels = {"sms"};
  }

  std::array<double, std::size(kPlaces)> place_weights{};
  for (std::size_t i = 0; i < std::size(kPlaces); ++i) place_weights[i] = kPlaces[i].weight;
  const DemoPlace& place = kPlaces[random.pick(place_weights)];
  buyer.address.province = place.province;
  buyer.address.city = place.city;
  buyer.address.district = place.district;
  buyer.address.detail = street_address(random);
  buyer.zone = place.zone;
  return buyer;
}

std::string TrackingNumbers::next(std::string_view carrier) {
  std::int64_t serial = ++issued_;
  if (carrier == "SF") return "SF14" + digits(52000000000 + serial * 7, 11);
  if (carrier == "JD") return "JDV0" + digits(31000000000 + serial * 3, 11);
  if (carrier == "ZTO") return "7731" + digits(40000000000 + serial * 11, 11);
  if (carrier == "YTO") return "YT75" + digits(60000000000 + serial * 13, 11);
  throw std::invalid_argument("the demo does not ship with carrier " + std::string(carrier));
}

std::string short_city(std::string_view city) {
  constexpr std::string_view kSuffix = "市";
  if (city.ends_with(kSuffix)) city.remove_suffix(kSuffix.size());
  return std::string(city);
}

}  // namespace depot::cli
