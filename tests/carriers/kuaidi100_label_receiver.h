#pragma once
// A local stand-in for Kuaidi100's electronic-waybill service (电子面单) on 127.0.0.1 and a free
// port, built on HttpReceiver. It checks what the aggregator checks and answers as it does:
//   POST /label/order?method=order: form fields param, key, t and sign; a refusal when the key is
//     not the merchant's or sign is not the upper-case MD5 of param + t + key + secret (computed
//     here independently), when kuaidicom is not a carrier it serves, partnerId is missing (or is
//     one the carrier refuses), recMan/sendMan lack name, mobile or printAddr, or orderId is
//     missing; else {success, code 200, data: {kuaidinum, kdComOrderNum, label | imgBase64}}.
//     An orderId seen before gets the same waybill again: that is what makes a retry safe.
//   POST /label/order?method=cancel: the same form; kuaidinum must be a waybill it issued, and
//     orderId, when given, that waybill's kdComOrderNum.
//   GET /labels/{kuaidinum}: the label of a waybill issued with labels as links.
// Whatever a client does that the aggregator would not accept is also written to problems(), so
// a test can insist there were none. Canned answers (answer_next) go out before any of that.
//
// Thread safety: it serves on its own thread; the accessors may be called from any thread.

#include <boost/json.hpp>

#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "carriers/kuaidi100_receiver.h"
#include "support/http_receiver.h"

namespace depot::testing {

// A 1×1 PNG and a one-page PDF's first bytes: what labels look like to a reader of magic bytes.
inline const std::string kPngLabelBase64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
inline const std::string kPdfLabel = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

// How the receiver gives labels: inline as base64 (imgBase64), or as a link to GET.
enum class LabelDelivery { inline_png, link_pdf, link_html };

class Kuaidi100LabelReceiver {
 public:
  Kuaidi100LabelReceiver(std::string key, std::string secret,
                         LabelDelivery delivery = LabelDelivery::inline_png)
      : key_(std::move(key)),
        secret_(std::move(secret)),
        delivery_(delivery),
        http_([this](const ReceivedRequest& request) { return answer(request); }) {}

  std::string url() const { return http_.url(); }
  std::vector<ReceivedRequest> requests() const { return http_.requests(); }
  std::size_t count() const { return http_.count(); }

  void answer_next(ReceiverAnswer answer) {
    std::lock_guard lock(mutex_);
    canned_.push_back(std::move(answer));
  }
  // Orders billed to this partnerId are refused with `message`, as a carrier refuses an account.
  void refuse_partner(std::string partner_id, std::string message) {
    std::lock_guard lock(mutex_);
    refused_partners_[std::move(partner_id)] = std::move(message);
  }
  std::vector<std::string> problems() const {
    std::lock_guard lock(mutex_);
    return problems_;
  }
  // The raw param text of every signed request read, in order.
  std::vector<std::string> raw_params() const {
    std::lock_guard lock(mutex_);
    return raw_params_;
  }
  // Waybills issued (distinct orderIds) and cancelled.
  std::size_t issued() const {
    std::lock_guard lock(mutex_);
    return waybills_.size();
  }
  std::set<std::string> cancelled() const {
    std::lock_guard lock(mutex_);
    return cancelled_;
  }

 private:
  struct Issued {
    std::string kuaidinum;
    std::string order_no;
  };

  static ReceiverAnswer refusal(int code, std::string_view message) {
    boost::json::object body{{"success", false}, {"code", code}, {"message", message}};
    return http_answer(200, boost::json::serialize(body));
  }
  static std::string text(const boost::json::object& object, std::string_view name) {
    const boost::json::value* value = object.if_contains(name);
    return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
  }
  static bool has_party(const boost::json::object& param, std::string_view name) {
    const boost::json::value* value = param.if_contains(name);
    if (value == nullptr || !value->is_object()) return false;
    const boost::json::object& party = value->get_object();
    return !text(party, "name").empty() && !text(party, "mobile").empty() &&
           !text(party, "printAddr").empty();
  }

  ReceiverAnswer answer(const ReceivedRequest& request) {
    std::lock_guard lock(mutex_);
    if (!canned_.empty()) {
      ReceiverAnswer canned = std::move(canned_.front());
      canned_.pop_front();
      return canned;
    }
    if (request.method == "GET" && request.target.starts_with("/labels/")) {
      return label(request.target.substr(8));
    }
    if (request.method != "POST") problems_.push_back("method " + request.method);
    auto type = request.headers.find("content-type");
    if (type == request.headers.end() ||
        !type->second.starts_with("application/x-www-form-urlencoded")) {
      problems_.push_back("content type is not a form");
      return refusal(400, "参数错误");
    }
    std::map<std::string, std::string> fields = form_fields(request.body);
    for (const char* name : {"param", "key", "t", "sign"}) {
      if (fields[name].empty()) {
        problems_.push_back(std::string("no form field ") + name);
        return refusal(400, "参数错误");
      }
    }
    raw_params_.push_back(fields["param"]);
    if (fields["key"] != key_) return refusal(401, "授权key错误");
    if (fields["sign"] != upper_md5(fields["param"] + fields["t"] + key_ + secret_)) {
      problems_.push_back("bad sign");
      return refusal(401, "签名错误");
    }
    if (fields["t"].find_first_not_of("0123456789") != std::string::npos ||
        fields["t"].size() != 13) {
      problems_.push_back("t is not milliseconds: " + fields["t"]);
    }
    boost::system::error_code parse_error;
    boost::json::value param = boost::json::parse(fields["param"], parse_error);
    if (parse_error || !param.is_object()) {
      problems_.push_back("param is not a JSON object");
      return refusal(400, "参数错误");
    }
    if (request.target == "/label/order?method=order") return order(param.get_object());
    if (request.target == "/label/order?method=cancel") return cancel(param.get_object());
    problems_.push_back("target " + request.target);
    return http_answer(404, "<html>404 Not Found</html>", "text/html");
  }

  ReceiverAnswer order(const boost::json::object& param) {
    std::string company = text(param, "kuaidicom");
    if (!kCompanies.contains(company)) return refusal(400, "暂不支持该快递公司");
    std::string partner = text(param, "partnerId");
    if (partner.empty()) return refusal(400, "partnerId不能为空");
    if (auto refused = refused_partners_.find(partner); refused != refused_partners_.end()) {
      return refusal(400, refused->second);
    }
    if (!has_party(param, "recMan")) return refusal(400, "收件人信息不完整");
    if (!has_party(param, "sendMan")) return refusal(400, "寄件人信息不完整");
    std::string order_id = text(param, "orderId");
    if (order_id.empty()) return refusal(400, "orderId不能为空");
    if (text(param, "tempId").empty()) problems_.push_back("no tempId");
    if (text(param, "printType").empty()) problems_.push_back("no printType");
    const boost::json::value* subscribe = param.if_contains("needSubscribe");
    if (subscribe != nullptr && subscribe->is_bool() && subscribe->get_bool() &&
        !text(param, "pollCallBackUrl").starts_with("http")) {
      return refusal(400, "pollCallBackUrl不能为空");
    }
    auto [found, fresh] = waybills_.try_emplace(order_id);
    if (fresh) {
      std::string serial = std::to_string(1000000000000 + waybills_.size());
      found->second.kuaidinum = (company == "shunfeng" ? "SF" : "7") + serial;
      found->second.order_no = "KD" + serial;
    }
    boost::json::object data{{"kuaidinum", found->second.kuaidinum},
                             {"kdComOrderNum", found->second.order_no},
                             {"taskId", "T" + found->second.order_no}};
    if (delivery_ == LabelDelivery::inline_png) {
      data["imgBase64"] = kPngLabelBase64;
    } else {
      data["label"] = url() + "/labels/" + found->second.kuaidinum;
    }
    boost::json::object body{
        {"success", true}, {"code", 200}, {"message", "success"}, {"data", std::move(data)}};
    return http_answer(200, boost::json::serialize(body));
  }

  ReceiverAnswer cancel(const boost::json::object& param) {
    if (text(param, "partnerId").empty()) return refusal(400, "partnerId不能为空");
    std::string number = text(param, "kuaidinum");
    for (const auto& [order_id, issued] : waybills_) {
      if (issued.kuaidinum != number) continue;
      if (param.contains("orderId") && text(param, "orderId") != issued.order_no) {
        return refusal(400, "订单号与单号不匹配");
      }
      cancelled_.insert(number);
      boost::json::object body{{"success", true}, {"code", 200}, {"message", "success"}};
      return http_answer(200, boost::json::serialize(body));
    }
    return refusal(400, "单号不存在");
  }

  ReceiverAnswer label(const std::string& number) {
    for (const auto& [order_id, issued] : waybills_) {
      if (issued.kuaidinum != number) continue;
      if (delivery_ == LabelDelivery::link_html) {
        return http_answer(200, "<html>面单</html>", "text/html");
      }
      return http_answer(200, kPdfLabel, "application/pdf");
    }
    return http_answer(404, "<html>404 Not Found</html>", "text/html");
  }

  inline static const std::set<std::string> kCompanies = {"shunfeng", "zhongtong", "yuantong"};

  const std::string key_;
  const std::string secret_;
  const LabelDelivery delivery_;
  mutable std::mutex mutex_;
  std::map<std::string, Issued> waybills_;               // GUARDED_BY(mutex_), by orderId
  std::map<std::string, std::string> refused_partners_;  // GUARDED_BY(mutex_)
  std::set<std::string> cancelled_;                      // GUARDED_BY(mutex_)
  std::deque<ReceiverAnswer> canned_;                    // GUARDED_BY(mutex_)
  std::vector<std::string> problems_;                    // GUARDED_BY(mutex_)
  std::vector<std::string> raw_params_;                  // GUARDED_BY(mutex_)
  // Last, so it stops serving before the state its handler reads goes.
  HttpReceiver http_;
};

}  // namespace depot::testing
