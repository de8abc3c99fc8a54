#include "cli/demo_fates.h"

#include <algorithm>
#include <array>

namespace depot::cli {

namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr double kUnpaid = 0.05;
constexpr double kCancelledAfterPayment = 0.022;
constexpr double kOverlooked = 0.03;  // dispatched two or three days late
constexpr double kFailedAttempt = 0.015;
constexpr double kStall = 0.005;
constexpr double kFeedback = 0.18;
constexpr double kDamaged = 0.04;  // of the parcels rated
constexpr double kComplaint = 0.007;
constexpr double kReturn = 0.025;
constexpr double kExchange = 0.006;

constexpr std::string_view kCancelReasons[] = {
    "买家申请取消：拍错了 Ordered the wrong item",
    "买家申请取消：不想要了 Changed their mind",
    "买家申请取消：地址填错 Wrong address, will order again",
};

constexpr std::string_view kSignatures[] = {
    "快件已签收，签收人：本人",
    "快件已签收，已放入丰巢快递柜",
    "快件已签收，已由菜鸟驿站代收",
    "快件已签收，签收人：家人代收",
};

constexpr std::string_view kCouriers[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄"};

struct Rated {
  std::int64_t rating;
  std::string_view comment;
};

constexpr Rated kPraise[] = {
    {5, "包装很用心，物流也快，好评！"}, {5, "第二次回购了，质量一如既往地好"},
    {5, "茶叶很香，会再来买"},           {5, "杯子颜值很高，送朋友的，她很喜欢"},
    {5, "发货快，客服态度好"},           {4, "东西不错，就是快递慢了一点"},
    {4, "整体满意，外包装可以再加强"},   {3, "一般般，和图片有点色差"},
};

constexpr Rated kDamage[] = {
    {1, "收到时杯子碎了一个，很失望"},
    {2, "外包装破损，茶叶撒了一些"},
    {2, "保温杯有凹痕，快递太暴力了"},
};

constexpr std::string_view kComplaints[] = {
    "少发了一件商品，请核实后补发",
    "包裹被放在门口没有通知，差点丢了",
    "客服回复太慢了",
};

constexpr std::string_view kReturnReasons[] = {
    "七天无理由退货：不喜欢",
    "颜色与图片不符",
    "商品有瑕疵",
    "买多了，退一件",
};

std::string text(std::string_view view) { return std::string(view); }

// Time of day people act at: a step that would fall in the night moves to the next morning.
Instant in_waking_hours(Instant at, DemoRandom& random) {
  minutes into = minutes_into_day(at);
  if (into < hours(8)) return local_time(local_day(at), hours(8) + minutes(random.between(0, 120)));
  if (into >= hours(23)) {
    return local_time(local_day(at) + std::chrono::days(1),
                      hours(8) + minutes(random.between(0, 120)));
  }
  return at;
}

// The next local day, in the morning: for a step that needs the id of one the day before.
Instant next_morning(Instant at, DemoRandom& random) {
  return local_time(local_day(at) + std::chrono::days(1),
                    hours(9) + minutes(random.between(0, 120)));
}

// Couriers deliver between 09:30 and 20:00: a parcel that reaches the city later waits for the
// next round.
Instant delivery_round(Instant arrival, DemoRandom& random) {
  minutes into = minutes_into_day(arrival);
  Day day = local_day(arrival);
  if (into < hours(9) + minutes(30)) {
    return local_time(day, hours(9) + minutes(30 + random.between(0, 150)));
  }
  if (into > hours(20)) {
    return local_time(day + std::chrono::days(1), hours(9) + minutes(30 + random.between(0, 240)));
  }
  return arrival;
}

const DemoCarrier& carrier_named(std::string_view code) {
  for (const DemoCarrier& carrier : demo_carriers()) {
    if (carrier.code == code) return carrier;
  }
  return demo_carriers().front();
}

std::string hub(std::string_view city) { return "【" + short_city(city) + "转运中心】"; }

}  // namespace

std::int64_t total_of(const PlannedOrder& order) {
  std::int64_t total = 0;
  for (const OrderLine& line : order.lines) total += line.quantity * line.unit_price;
  return total;
}

void OrderFates::scan(Instant at, const std::string& tracking_no, ParcelStatus status,
                      std::string text, std::string location) {
  add(at, ScanParcel{tracking_no, status, std::move(text), std::move(location)});
}

void OrderFates::follow(int index, const PlannedOrder& order, const DemoBuyer& buyer) {
  complained_ = false;
  if (random_.chance(kUnpaid)) return;  // the unpaid timeout cancels it
  Instant paid = order.created_at + minutes(random_.between(1, 12));
  bool by_wechat = order.platform == "weixin" || order.platform == "pinduoduo";
  add(paid, PayOrder{index, order.platform == "jd" ? "jd_pay"
                            : by_wechat            ? "wechat_pay"
                                                   : "alipay"});
  if (random_.chance(kCancelledAfterPayment)) {
    Instant cancelled = paid + minutes(random_.between(5, 90));
    add(cancelled, CancelOrder{index, text(random_.one_of<std::string_view>(kCancelReasons))});
    refund(index, cancelled + minutes(random_.between(2, 30)), total_of(order),
           "取消订单退款 Refund of a cancelled order", false);
    return;
  }
  int delay = random_.chance(kOverlooked) ? static_cast<int>(random_.between(2, 3)) : 0;
  Instant shipped = warehouse_.dispatch(paid, delay, random_);
  std::string carrier = choose_carrier(order, buyer);
  Instant delivered = send_parcel(index, false, shipped, carrier, buyer, true);
  after_delivery(index, order, buyer, delivered, carrier);
}

std::string OrderFates::choose_carrier(const PlannedOrder& order, const DemoBuyer& buyer) {
  if (order.platform == "jd") return "JD";
  if (total_of(order) >= 20000 || (buyer.zone >= 3 && random_.chance(0.3))) return "SF";
  return random_.chance(0.6) ? "ZTO" : "YTO";
}

Instant OrderFates::send_parcel(int index, bool replacement, Instant shipped,
                                const std::string& carrier, const DemoBuyer& buyer,
                                bool may_go_wrong) {
  std::string number = numbers_.next(carrier);
  add(shipped, ShipParcel{index, replacement, carrier, number});
  // Couriers collect the day's parcels late in the afternoon.
  Instant pickup =
      std::max(shipped + minutes(random_.between(20, 60)),
               local_time(local_day(shipped), hours(17)) + minutes(random_.between(0, 90)));
  scan(pickup, number, ParcelStatus::info_received, "【杭州市余杭区】快件已由快递员揽收",
       short_city(kWarehouseCity));
  double transit = standard_transit_hours(buyer.zone) * carrier_named(carrier).speed *
                   std::clamp(1 + 0.12 * random_.normal(), 0.7, 1.4);
  bool stalls = may_go_wrong && random_.chance(kStall);
  Route route = travel(number, pickup, transit, kWarehouseCity, buyer.address.city, stalls);
  if (route.stalled_from && random_.chance(0.4)) {
    complain(index, in_waking_hours(*route.stalled_from + hours(random_.between(36, 46)), random_),
             "快递好几天没有更新了，请帮忙催一下", 0);
  }
  Instant last = route.last_scan;
  Instant delivered = delivery_round(std::max(route.arrival, last + hours(3)), random_);
  std::string city = short_city(buyer.address.city);
  std::string where = city + std::string(buyer.address.district);
  Instant out = std::max(delivered - minutes(random_.between(40, 180)),
                         local_time(local_day(delivered), hours(8)));
  out = std::max(out, last + minutes(30));
  std::string courier = "【" + where + "】快递员" +
                        text(random_.one_of<std::string_view>(kCouriers)) + "师傅正在派件";
  scan(out, number, ParcelStatus::out_for_delivery, courier, city);
  if (may_go_wrong && random_.chance(kFailedAttempt)) {
    scan(delivered, number, ParcelStatus::exception,
         "派送不成功：收件人电话无人接听，快件将于明日再次派送", city);
    Instant again = local_time(local_day(delivered) + std::chrono::days(1),
                               hours(9) + minutes(random_.between(0, 90)));
    scan(again, number, ParcelStatus::out_for_delivery, courier, city);
    delivered = again + minutes(random_.between(40, 240));
  }
  scan(delivered, number, ParcelStatus::delivered,
       text(random_.one_of<std::string_view>(kSignatures)), city);
  return delivered;
}

OrderFates::Route OrderFates::travel(const std::string& number, Instant pickup, double transit,
                                     std::string_view from, std::string_view to, bool stalls) {
  Route route;
  Instant at = pickup + hours(random_.between(3, 7));
  scan(at, number, ParcelStatus::in_transit, "快件已从" + hub(from) + "发出，下一站" + hub(to),
       short_city(from));
  route.arrival = pickup + minutes(static_cast<std::int64_t>(transit * 60));
  if (stalls) {
    // Nothing heard for more than two days (depot flags the parcel), then it moves again.
    route.stalled_from = at;
    at += hours(random_.between(54, 66));
    scan(at, number, ParcelStatus::in_transit, "快件因天气原因延误，现已恢复运输", "干线运输");
    route.arrival = std::max(route.arrival, at) + hours(random_.between(12, 30));
  }
  // Long routes report from the trunk line at least daily.
  while (route.arrival - at > hours(30)) {
    at += hours(random_.between(16, 22));
    scan(at, number, ParcelStatus::in_transit, "快件运输中，已到达中转场", "干线运输");
  }
  route.last_scan = std::max(at + hours(1), route.arrival - hours(random_.between(8, 14)));
  scan(route.last_scan, number, ParcelStatus::in_transit, "快件已到达" + hub(to), short_city(to));
  return route;
}

void OrderFates::after_delivery(int index, const PlannedOrder& order, const DemoBuyer& buyer,
                                Instant delivered, const std::string& carrier) {
  if (random_.chance(kFeedback)) {
    Instant rated_at = in_waking_hours(delivered + hours(random_.between(2, 60)), random_);
    if (random_.chance(kDamaged)) {
      // Broken on the way: a poor rating, and mostly a complaint the shop makes up for.
      const Rated& rated = random_.one_of<Rated>(kDamage);
      add(rated_at, LeaveFeedback{index, rated.rating, false, text(rated.comment)});
      if (!complained_ && random_.chance(0.6)) {
        complain(index, rated_at + minutes(random_.between(5, 120)), "收到的商品有破损，请尽快处理",
                 total_of(order) / 5 / 100 * 100);
      }
      return;
    }
    const Rated& rated = random_.one_of<Rated>(kPraise);
    add(rated_at, LeaveFeedback{index, rated.rating, true, text(rated.comment)});
  }
  double trouble = random_.unit();
  if (trouble < kComplaint) {
    if (complained_) return;
    std::int64_t compensation = random_.chance(0.5) ? total_of(order) / 5 / 100 * 100 : 0;
    complain(index, in_waking_hours(delivered + hours(random_.between(3, 30)), random_),
             text(random_.one_of<std::string_view>(kComplaints)), compensation);
  } else if (trouble < kComplaint + kReturn) {
    send_back(index, order, buyer, delivered, false, carrier);
  } else if (trouble < kComplaint + kReturn + kExchange) {
    send_back(index, order, buyer, delivered, true, carrier);
  }
}

void OrderFates::complain(int index, Instant at, std::string complaint, std::int64_t compensation) {
  complained_ = true;
  add(at, Complain{index, std::move(complaint)});
  Instant resolved = next_morning(at, random_) + hours(random_.between(0, 30));
  if (compensation > 0) {
    refund(index, resolved - minutes(random_.between(5, 30)), compensation,
           "补偿 Compensation for the trouble", false);
  }
  add(resolved, ResolveComplaint{index, "已联系顾客，问题已处理 Called the customer; sorted out"});
}

void OrderFates::send_back(int index, const PlannedOrder& order, const DemoBuyer& buyer,
                           Instant delivered, bool exchange, const std::string& carrier) {
  const OrderLine& line = order.lines[static_cast<std::size_t>(
      random_.below(static_cast<std::int64_t>(order.lines.size())))];
  RequestReturn request{index,
                        exchange ? ReturnKind::exchange : ReturnKind::return_goods,
                        {{line.sku, exchange ? 1 : line.quantity}},
                        {},
                        ""};
  if (exchange) {
    // A mug swapped for the other colour; anything else for a new one of the same.
    if (line.sku == "MUG-RED") request.replacement_lines = {{"MUG-BLUE", 1}};
    if (line.sku == "MUG-BLUE") request.replacement_lines = {{"MUG-RED", 1}};
    request.reason = request.replacement_lines.empty() ? "商品有瑕疵，换新" : "想换一个颜色";
  } else {
    request.reason = text(random_.one_of<std::string_view>(kReturnReasons));
  }
  std::int64_t amount = request.lines.front().quantity * line.unit_price;
  Instant requested = in_waking_hours(delivered + hours(random_.between(12, 120)), random_);
  add(requested, std::move(request));
  Instant decided = warehouse_.next_working_day(requested, random_);
  if (random_.chance(0.1)) {
    add(decided, DecideReturn{index, false, "商品已使用，不符合退换条件 The goods were used"});
    return;
  }
  add(decided, DecideReturn{index, true, "同意，请寄回 Approved: please send it back"});
  std::string back_by = random_.chance(0.15) ? "SF" : random_.chance(0.5) ? "ZTO" : "YTO";
  std::string number = numbers_.next(back_by);
  Instant sent = in_waking_hours(decided + hours(random_.between(2, 30)), random_);
  add(sent, SendReturn{index, back_by, number});
  Instant pickup = sent + hours(random_.between(1, 3));
  scan(pickup, number, ParcelStatus::info_received,
       "【" + short_city(buyer.address.city) + "】快件已由快递员揽收",
       short_city(buyer.address.city));
  Route route =
      travel(number, pickup, standard_transit_hours(buyer.zone) * carrier_named(back_by).speed,
             buyer.address.city, kWarehouseCity, false);
  Instant arrived = delivery_round(std::max(route.arrival, route.last_scan + hours(2)), random_);
  scan(arrived, number, ParcelStatus::delivered, "快件已签收，签收人：仓库",
       short_city(kWarehouseCity));
  Instant received = warehouse_.next_working_day(arrived, random_);
  bool restock = random_.chance(0.85);
  add(received, ReceiveReturn{index, restock,
                              restock ? "验货完好，重新上架 Inspected: back on the shelf"
                                      : "包装破损，无法二次销售 Damaged: written off"});
  if (exchange) {
    send_parcel(index, true, warehouse_.next_working_day(received, random_), carrier, buyer, false);
  } else {
    refund(index, received + minutes(random_.between(10, 60)), amount,
           "退货退款 Refund for returned goods", true);
  }
}

void OrderFates::refund(int index, Instant at, std::int64_t amount, std::string reason,
                        bool for_return) {
  add(at, CreateRefund{index, amount, std::move(reason), for_return});
  add(next_morning(at, random_), CompleteRefund{index});
}

}  // namespace depot::cli
