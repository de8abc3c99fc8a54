#pragma once
// A local stand-in for Kuaidi100's poll service on 127.0.0.1 and a free port, built on
// HttpReceiver. It checks what Kuaidi100 checks and answers as Kuaidi100 does:
//   POST /poll (subscribe): form fields schema=json and param {company, number, key,
//     parameters: {callbackurl, salt, resultv2, phone?}}; 600 for a wrong key, 700 for missing or
//     bad fields or an unsupported carrier, 501 for a number it already follows, else 200;
//   POST /poll/query.do (real-time query): form fields customer, sign and param {com, num, phone?,
//     resultv2}; 503 when sign is not the upper-case MD5 of param + key + customer (computed here
//     independently), 400 for a missing carrier or number, 408 for SF without a phone, 500 for a
//     number it has nothing on, else the parcel's tracking.
// Whatever a client does that Kuaidi100 would not accept is also written to problems(), so a test
// can insist there were none. Canned answers (answer_next) go out before any of that, to play
// server errors and slowness.
//
// Thread safety: it serves on its own thread; the accessors may be called from any thread.

#include <openssl/evp.h>

#include <boost/json.hpp>

#include <cctype>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "support/http_receiver.h"

namespace depot::testing {

// Upper-case hex MD5, written here apart from the adapter's own.
inline std::string upper_md5(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_md5(), nullptr);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

// An application/x-www-form-urlencoded body as its fields ('+' is a space, %XY a byte).
inline std::map<std::string, std::string> form_fields(std::string_view body) {
  auto decode = [](std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '+') {
        out += ' ';
      } else if (text[i] == '%' && i + 2 < text.size() &&
                 std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
                 std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
        out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += text[i];
      }
    }
    return out;
  };
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    std::size_t end = body.find('&');
    std::string_view pair = body.substr(0, end);
    std::size_t equals = pair.find('=');
    fields[decode(pair.substr(0, equals))] =
        equals == std::string_view::npos ? "" : decode(pair.substr(equals + 1));
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
  }
  return fields;
}

// An answer as Kuaidi100's servers (or whatever stands in front of them) would give it.
inline ReceiverAnswer http_answer(int status, std::string body,
                                  std::string content_type = "application/json;charset=UTF-8",
                                  std::chrono::milliseconds delay = {}) {
  ReceiverAnswer answer;
  answer.status = status;
  answer.body = std::move(body);
  answer.content_type = std::move(content_type);
  answer.delay = delay;
  return answer;
}

class Kuaidi100Receiver {
 public:
  Kuaidi100Receiver(std::string key, std::string customer)
      : key_(std::move(key)),
        customer_(std::move(customer)),
        http_([this](const ReceivedRequest& request) { return answer(request); }) {}

  std::string url() const { return http_.url(); }
  std::vector<ReceivedRequest> requests() const { return http_.requests(); }
  std::size_t count() const { return http_.count(); }

  // The tracking a query for (company, number) answers: Kuaidi100's result object without its
  // message/status fields, which are added.
  void add_parcel(const std::string& company, const std::string& number,
                  boost::json::object result) {
    std::lock_guard lock(mutex_);
    parcels_[company + "/" + number] = std::move(result);
  }
  // The next request is answered with this, whatever it is.
  void answer_next(ReceiverAnswer answer) {
    std::lock_guard lock(mutex_);
    canned_.push_back(std::move(answer));
  }
  std::vector<std::string> problems() const {
    std::lock_guard lock(mutex_);
    return problems_;
  }
  // The param JSON of every request read, in order.
  std::vector<boost::json::object> params() const {
    std::lock_guard lock(mutex_);
    return params_;
  }

 private:
  static ReceiverAnswer refusal(std::string_view code, std::string_view message) {
    boost::json::object body{{"result", false}, {"returnCode", code}, {"message", message}};
    return http_answer(200, boost::json::serialize(body));
  }
  static std::string text(const boost::json::object& object, std::string_view name) {
    const boost::json::value* value = object.if_contains(name);
    return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
  }

  ReceiverAnswer answer(const ReceivedRequest& request) {
    std::lock_guard lock(mutex_);
    if (!canned_.empty()) {
      ReceiverAnswer canned = std::move(canned_.front());
      canned_.pop_front();
      return canned;
    }
    std::string path = request.target.substr(0, request.target.find('?'));
    if (request.method != "POST") problems_.push_back("method " + request.method);
    auto type = request.headers.find("content-type");
    if (type == request.headers.end() ||
        !type->second.starts_with("application/x-www-form-urlencoded")) {
      problems_.push_back("content type is not a form: " + request.body.substr(0, 40));
      return refusal("500", "服务器错误");
    }
    std::map<std::string, std::string> fields = form_fields(request.body);
    boost::system::error_code parse_error;
    boost::json::value param = boost::json::parse(fields["param"], parse_error);
    if (parse_error || !param.is_object()) {
      problems_.push_back("param is not a JSON object: " + fields["param"]);
      return refusal(path == "/poll" ? "700" : "400", "参数错误");
    }
    params_.push_back(param.get_object());
    if (path == "/poll") return subscribe(fields, param.get_object());
    if (path == "/poll/query.do") return query(fields, fields["param"], param.get_object());
    problems_.push_back("path " + path);
    return http_answer(404, "<html>404 Not Found</html>", "text/html");
  }

  ReceiverAnswer subscribe(std::map<std::string, std::string>& fields,
                           const boost::json::object& param) {
    if (fields["schema"] != "json") problems_.push_back("schema is \"" + fields["schema"] + "\"");
    if (text(param, "key") != key_) return refusal("600", "您不是合法的订阅者");
    const boost::json::value* parameters_value = param.if_contains("parameters");
    if (parameters_value == nullptr || !parameters_value->is_object()) {
      problems_.push_back("no parameters object");
      return refusal("700", "订阅参数错误");
    }
    const boost::json::object& parameters = parameters_value->get_object();
    std::string company = text(param, "company");
    std::string number = text(param, "number");
    if (!kCompanies.contains(company) || number.empty() ||
        !text(parameters, "callbackurl").starts_with("http")) {
      return refusal("700", "订阅的数据存在错误");
    }
    if (text(parameters, "salt").empty()) problems_.push_back("no salt: pushes come unsigned");
    if (text(parameters, "resultv2") != "1") problems_.push_back("resultv2 is not \"1\"");
    if (!subscribed_.insert(company + "/" + number).second) {
      return refusal("501", "重复订阅");
    }
    boost::json::object ok{{"result", true}, {"returnCode", "200"}, {"message", "提交成功"}};
    return http_answer(200, boost::json::serialize(ok));
  }

  ReceiverAnswer query(std::map<std::string, std::string>& fields, const std::string& raw_param,
                       const boost::json::object& param) {
    if (fields["sign"] != upper_md5(raw_param + key_ + customer_)) {
      return refusal("503", "验证签名失败");
    }
    std::string company = text(param, "com");
    std::string number = text(param, "num");
    if (!kCompanies.contains(company) || number.empty()) {
      return refusal("400", "找不到对应公司");
    }
    if (text(param, "resultv2") != "1") problems_.push_back("resultv2 is not \"1\"");
    if (company == "shunfeng" && text(param, "phone").empty()) {
      return refusal("408", "快递公司参数异常：验证码错误");
    }
    auto found = parcels_.find(company + "/" + number);
    if (found == parcels_.end()) return refusal("500", "查询无结果，请隔段时间再查");
    boost::json::object body = found->second;
    body["message"] = "ok";
    body["status"] = "200";
    body["condition"] = "F00";
    body["com"] = company;
    body["nu"] = number;
    return http_answer(200, boost::json::serialize(body));
  }

  inline static const std::set<std::string> kCompanies = {"shunfeng", "zhongtong", "yuantong"};

  const std::string key_;
  const std::string customer_;
  mutable std::mutex mutex_;
  std::map<std::string, boost::json::object> parcels_;  // GUARDED_BY(mutex_)
  std::set<std::string> subscribed_;                    // GUARDED_BY(mutex_)
  std::deque<ReceiverAnswer> canned_;                   // GUARDED_BY(mutex_)
  std::vector<std::string> problems_;                   // GUARDED_BY(mutex_)
  std::vector<boost::json::object> params_;             // GUARDED_BY(mutex_)
  // Last, so it stops serving before the state its handler reads goes.
  HttpReceiver http_;
};

}  // namespace depot::testing
