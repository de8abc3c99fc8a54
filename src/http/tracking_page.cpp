// The customer's tracking page (SPEC UI-2): HTML for phones, in zh-CN or English, reached by a
// signed link (/t/{token}) or by order number and phone digits (/track/{merchant}); delivery
// feedback is posted from it.
#include <kainjow/mustache.hpp>

#include <chrono>
#include <cstdlib>

#include "app/templates.h"
#include "domain/carriers.h"
#include "domain/text.h"
#include "http/await.h"
#include "http/routes.h"
#include "http/url.h"

namespace depot::embedded {
std::string_view tracking_page();
}  // namespace depot::embedded

namespace depot::http {

namespace asio = boost::asio;
namespace mustache = kainjow::mustache;

namespace {

struct Phrase {
  const char* key;
  const char* zh;
  const char* en;
};

constexpr Phrase kPhrases[] = {
    {"title", "物流跟踪", "Parcel tracking"},
    {"heading", "您的包裹", "Your parcel"},
    {"order_label", "订单号", "Order"},
    {"phone_label", "手机号后四位", "Last 4 digits of your phone"},
    {"lookup_button", "查询", "Track"},
    {"recipient_label", "收件人", "Recipient"},
    {"address_label", "收货地区", "Delivering to"},
    {"order_status_label", "订单状态", "Order status"},
    {"no_parcels", "订单尚未发货，发货后这里会显示物流信息。",
     "Not shipped yet: tracking appears here once it leaves."},
    {"eta_label", "预计送达", "Expected delivery"},
    {"delivered_label", "已签收", "Delivered"},
    {"stalled_text", "物流信息暂未更新，如有疑问请联系客服。",
     "No tracking update for a while. Please contact customer service if you are concerned."},
    {"no_events", "快递公司尚未返回物流信息。", "No scans from the carrier yet."},
    {"feedback_heading", "收货反馈", "How did the delivery go?"},
    {"intact_label", "商品是否完好", "Did the goods arrive intact?"},
    {"yes", "完好", "Yes"},
    {"no", "有损坏", "No, damaged"},
    {"rating_label", "评分（1–5）", "Rating (1–5)"},
    {"comment_label", "留言（选填）", "Comment (optional)"},
    {"feedback_button", "提交反馈", "Send feedback"},
    {"other_lang", "English", "中文"},
};

constexpr const char* kNotFoundZh = "未找到该订单，请检查订单号和手机号后四位。";
constexpr const char* kNotFoundEn = "No order matches. Please check the order number and digits.";
constexpr const char* kTooManyZh = "查询过于频繁，请稍后再试。";
constexpr const char* kTooManyEn = "Too many attempts. Please try again later.";
constexpr const char* kThanksZh = "感谢您的反馈！";
constexpr const char* kThanksEn = "Thank you for your feedback!";

std::string locale_of(const Request& req) {
  std::string asked = query_text(req, "lang");
  if (asked == "en" || asked == "zh-CN") return asked;
  return ascii_lower(req.header("accept-language")).starts_with("en") ? "en" : "zh-CN";
}

mustache::data page_words(const std::string& locale, const std::string& path) {
  bool english = locale == "en";
  mustache::data data;
  for (const Phrase& phrase : kPhrases) data.set(phrase.key, english ? phrase.en : phrase.zh);
  data.set("lang", english ? "en" : "zh-CN");
  data.set("lang_code", locale);
  data.set("other_lang_link", path + (english ? "?lang=zh-CN" : "?lang=en"));
  return data;
}

Response html(int status, const mustache::data& data) {
  static const std::string kTemplate(embedded::tracking_page());
  mustache::mustache page(kTemplate);
  Response response{status, "text/html; charset=utf-8", page.render(data), {}};
  // The page names a person's parcel: no caching by proxies, no framing by other sites.
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  // The page is its own inline style and two forms back to depot: nothing else loads or runs.
  response.headers.emplace_back("Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; form-action "
                                "'self'; base-uri 'none'; frame-ancestors 'none'");
  return response;
}

void add_order(mustache::data& data, const PublicOrderView& view, const std::string& locale) {
  data.set("order_no", view.order_no);
  data.set("recipient", view.recipient);
  data.set("address", view.address);
  data.set("order_status", order_status_text(view.status, locale));
  mustache::data parcels{mustache::data::type::list};
  for (const ParcelView& p : view.parcels) {
    mustache::data parcel;
    const Carrier* carrier = find_carrier(p.parcel.carrier);
    parcel.set("carrier", carrier == nullptr ? p.parcel.carrier
                          : locale == "en"   ? std::string(carrier->name_en)
                                             : std::string(carrier->name_zh));
    parcel.set("tracking_no", p.parcel.tracking_no);
    parcel.set("status", parcel_status_text(p.parcel.status, locale));
    parcel.set("status_code", std::string(to_string(p.parcel.status)));
    if (p.eta) parcel.set("eta", local_date_time(*p.eta, locale));
    if (p.parcel.delivered_at) {
      parcel.set("delivered_at", local_date_time(*p.parcel.delivered_at, locale));
    }
    if (p.parcel.stalled_at) parcel.set("stalled", true);
    mustache::data events{mustache::data::type::list};
    for (auto it = p.checkpoints.rbegin(); it != p.checkpoints.rend(); ++it) {
      mustache::data event;
      event.set("text", it->checkpoint.text);
      event.set("at", local_date_time(it->checkpoint.at, locale));
      if (!it->checkpoint.location.empty()) event.set("location", it->checkpoint.location);
      events.push_back(event);
    }
    if (!p.checkpoints.empty()) parcel.set("events", events);
    parcels.push_back(parcel);
  }
  if (!view.parcels.empty()) data.set("parcels", parcels);
  if (view.feedback_open) {
    data.set("feedback_open", true);
    data.set("feedback_action", "/t/" + view.token + "/feedback?lang=" + locale);
  }
}

Response order_page(const PublicOrderView& view, const std::string& locale, const std::string& path,
                    const char* message = nullptr) {
  mustache::data data = page_words(locale, path);
  if (message != nullptr) {
    data.set("message", message);
    data.set("message_class", "note");
  }
  add_order(data, view, locale);
  return html(200, data);
}

Response lookup_page(int status, const std::string& merchant, const std::string& locale,
                     const std::string& order_no, const char* message) {
  std::string path = "/track/" + merchant;
  mustache::data data = page_words(locale, path);
  data.set("lookup", true);
  data.set("lookup_action", path);
  data.set("lookup_order_no", order_no);
  if (message != nullptr) {
    data.set("message", message);
    data.set("message_class", "error");
  }
  return html(status, data);
}

Response not_found_page(const std::string& locale, const std::string& path) {
  mustache::data data = page_words(locale, path);
  data.set("message", locale == "en" ? kNotFoundEn : kNotFoundZh);
  data.set("message_class", "error");
  return html(404, data);
}

}  // namespace

void add_tracking_page_routes(Router& router, PublicTracking& tracking, FeedbackService& feedback,
                              RateLimiter& guesses) {
  router.add(
      Method::get, "/t/{token}",
      [&tracking](Request& req) -> asio::awaitable<Response> {
        std::string locale = locale_of(req);
        std::string path = "/t/" + req.params.at("token");
        Result<PublicOrderView> view = tracking.by_token(req.params.at("token"));
        if (!view.ok()) co_return not_found_page(locale, path);
        bool thanked = query_text(req, "thanks") == "1";
        co_return order_page(*view, locale, path,
                             thanked ? (locale == "en" ? kThanksEn : kThanksZh) : nullptr);
      },
      Access::public_);

  router.add(
      Method::post, "/t/{token}/feedback",
      [&tracking, &feedback](Request& req) -> asio::awaitable<Response> {
        std::string locale = locale_of(req);
        std::string path = "/t/" + req.params.at("token");
        Result<PublicOrderView> view = tracking.by_token(req.params.at("token"));
        if (!view.ok()) co_return not_found_page(locale, path);
        std::map<std::string, std::string> form = parse_query(req.body);
        FeedbackInput input;
        input.intact = form["intact"] != "no";
        input.rating = std::atoll(form["rating"].c_str());
        input.comment = form["comment"];
        Result<Feedback> saved = co_await await_result<Feedback>([&](auto done) {
          feedback.record_from_customer(view->tenant, view->order_id, std::move(input),
                                        std::move(done));
        });
        if (!saved.ok()) co_return order_page(*view, locale, path, saved.error().message.c_str());
        Response back{303, "text/html; charset=utf-8", "", {}};
        back.headers.emplace_back("Location", path + "?thanks=1&lang=" + locale);
        co_return back;
      },
      Access::public_);

  // Lookups by number are limited per client address: four digits are few enough to guess.
  router.add(
      Method::get, "/track/{merchant}",
      [&tracking, &guesses](Request& req) -> asio::awaitable<Response> {
        std::string locale = locale_of(req);
        const std::string& merchant = req.params.at("merchant");
        std::string order_no = query_text(req, "order_no");
        if (order_no.empty()) co_return lookup_page(200, merchant, locale, "", nullptr);
        std::chrono::seconds wait{0};
        if (!guesses.admit("track:" + req.client_address, std::chrono::steady_clock::now(), wait)) {
          Response limited = lookup_page(429, merchant, locale, order_no,
                                         locale == "en" ? kTooManyEn : kTooManyZh);
          limited.headers.emplace_back("Retry-After", std::to_string(wait.count()));
          co_return limited;
        }
        Result<PublicOrderView> view =
            tracking.by_number(merchant, order_no, query_text(req, "phone_last4"));
        if (!view.ok()) {
          co_return lookup_page(404, merchant, locale, order_no,
                                locale == "en" ? kNotFoundEn : kNotFoundZh);
        }
        co_return order_page(*view, locale, "/t/" + view->token);
      },
      Access::public_);
}

}  // namespace depot::http
