#include "channels/platform/shopify_fulfillment.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "channels/endpoint/endpoint_outcome.h"
#include "domain/text.h"

namespace depot::channels {

namespace {

namespace json = boost::json;

constexpr std::string_view kAdminApi = "/admin/api/2024-01";

// What the fulfillment call needs of depot's write-back body.
struct Fulfillment {
  std::string order_id;  // Shopify's numeric order id
  std::string tracking_no;
  std::string company;
  std::string tracking_url;
};

std::string text_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::optional<Fulfillment> fulfillment_of(const std::string& payload) {
  boost::system::error_code ec;
  json::value parsed = json::parse(payload, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  const json::object& body = parsed.get_object();
  Fulfillment f;
  f.order_id = text_of(body, "platform_order_id");
  f.tracking_no = text_of(body, "tracking_no");
  // Shopify links the tracking number itself for a company it knows; depot names the carrier as
  // the merchant's customers read it, and by depot's code when it does not know the carrier.
  f.company = text_of(body, "carrier_name");
  if (f.company.empty()) f.company = text_of(body, "carrier");
  f.tracking_url = text_of(body, "tracking_url");
  return f;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return c >= '0' && c <= '9'; });
}

// An order's fulfillment orders as Shopify lists them: those still to fulfil, and the statuses
// of those neither open nor done (on_hold, scheduled, incomplete), which depot cannot fulfil.
struct FulfillmentOrders {
  json::array open;  // [{"fulfillment_order_id": N}, …]
  std::string held;  // "on_hold, scheduled", "" when none
};

// Nothing when the answer holds no list.
std::optional<FulfillmentOrders> fulfillment_orders_of(const std::string& answer) {
  boost::system::error_code ec;
  json::value parsed = json::parse(answer, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  const json::value* list = parsed.get_object().if_contains("fulfillment_orders");
  if (list == nullptr || !list->is_array()) return std::nullopt;
  FulfillmentOrders found;
  for (const json::value& item : list->get_array()) {
    if (!item.is_object()) continue;
    const json::object& order = item.get_object();
    std::string status = text_of(order, "status");
    const json::value* id = order.if_contains("id");
    if ((status == "open" || status == "in_progress") && id != nullptr &&
        (id->is_int64() || id->is_uint64())) {
      found.open.push_back(json::object{{"fulfillment_order_id", *id}});
    } else if (status != "closed" && status != "cancelled") {
      found.held += (found.held.empty() ? "" : ", ") + status;
    }
  }
  return found;
}

std::string fulfillment_body(const Fulfillment& f, json::array fulfillment_orders) {
  json::object tracking{{"number", f.tracking_no}, {"company", f.company}};
  if (!f.tracking_url.empty()) tracking["url"] = f.tracking_url;
  return json::serialize(
      json::object{{"fulfillment",
                    json::object{{"line_items_by_fulfillment_order", std::move(fulfillment_orders)},
                                 {"tracking_info", std::move(tracking)},
                                 // depot tells the customer itself, in its own words.
                                 {"notify_customer", false}}}});
}

}  // namespace

void send_shopify_fulfillment(net::CurlLoop& loop, const PlatformChannelOptions& options,
                              const ChannelAccount& account, const OutgoingMessage& message,
                              std::function<void(SendOutcome)> done) {
  std::string host = net::host_of(account.url);
  auto refuse = [&](std::string why) {
    spdlog::warn("Shopify fulfillment at {}: not sent: {}", host, why);
    done(SendOutcome::refused(std::move(why)));
  };
  if (!is_http_url(account.url)) {
    return refuse("the connection's callback_url (the shop's address) must be an http(s) URL");
  }
  std::string token = account.setting("access_token");
  if (token.empty()) return refuse("the Shopify connection has no access_token");
  std::optional<Fulfillment> fulfillment = fulfillment_of(message.payload);
  if (!fulfillment) return refuse("the write-back has no body");
  if (!all_digits(fulfillment->order_id)) {
    return refuse("the order's Shopify id is unknown: its delivery carried no numeric id");
  }
  if (fulfillment->tracking_no.empty()) return refuse("the shipment has no tracking number");

  std::string base = account.url;
  while (base.ends_with('/')) base.pop_back();
  base += kAdminApi;
  net::HttpRequest lookup;
  lookup.method = "GET";
  lookup.url = base + "/orders/" + fulfillment->order_id + "/fulfillment_orders.json";
  lookup.connect_timeout = options.connect_timeout;
  lookup.timeout = options.timeout;
  lookup.headers = {"Accept: application/json", "X-Shopify-Access-Token: " + token};

  net::HttpRequest create = lookup;
  create.method = "POST";
  create.url = base + "/fulfillments.json";
  create.headers.push_back("Content-Type: application/json");

  auto finish = [host](std::function<void(SendOutcome)>& done, SendOutcome outcome) {
    if (outcome.kind != SendOutcome::Kind::sent) {
      spdlog::warn("Shopify fulfillment at {}: {}: {}", host, to_string(outcome.kind),
                   outcome.response);
    }
    done(std::move(outcome));
  };
  loop.http(lookup, [&loop, create = std::move(create), fulfillment = std::move(*fulfillment),
                     finish, done = std::move(done)](const net::HttpResponse& found) mutable {
    SendOutcome looked = endpoint_outcome(found, "Shopify");
    if (looked.kind != SendOutcome::Kind::sent) return finish(done, std::move(looked));
    std::optional<FulfillmentOrders> orders = fulfillment_orders_of(found.body);
    if (!orders) {
      return finish(done, SendOutcome::refused("Shopify's answer holds no fulfillment_orders: " +
                                               looked.response));
    }
    if (orders->open.empty() && !orders->held.empty()) {
      // Held or scheduled on Shopify: fulfilling is the merchant's call there, not a retry's.
      return finish(done, SendOutcome::refused("Shopify cannot fulfil the order now: its "
                                               "fulfillment orders are " +
                                               orders->held));
    }
    if (orders->open.empty()) {
      SendOutcome fulfilled;
      fulfilled.kind = SendOutcome::Kind::sent;
      fulfilled.response = "no open fulfillment orders: the order is fulfilled already";
      return finish(done, std::move(fulfilled));
    }
    create.body = fulfillment_body(fulfillment, std::move(orders->open));
    loop.http(create, [finish, done = std::move(done)](const net::HttpResponse& created) mutable {
      finish(done, endpoint_outcome(created, "Shopify"));
    });
  });
}

}  // namespace depot::channels
