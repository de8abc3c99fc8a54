#include "http/sms_reports.h"

#include <boost/json.hpp>

namespace depot::http {
namespace {

// Aliyun writes ids and sizes as strings; a number is taken as its decimal text.
bool read_text(const boost::json::value& value, std::string& out) {
  if (const auto* text = value.if_string()) {
    out = std::string(*text);
    return true;
  }
  if (value.is_int64()) {
    out = std::to_string(value.get_int64());
    return true;
  }
  if (value.is_uint64()) {
    out = std::to_string(value.get_uint64());
    return true;
  }
  return false;
}

class ReportReader {
 public:
  ReportReader(const boost::json::object& object, std::string path, std::vector<FieldError>& errors)
      : object_(object), path_(std::move(path)), errors_(errors) {}

  void text(std::string_view name, std::string& out, bool required) {
    const boost::json::value* value = object_.if_contains(name);
    if (value == nullptr || value->is_null()) {
      if (required) errors_.push_back({field(name), "is required"});
      return;
    }
    if (!read_text(*value, out)) {
      errors_.push_back({field(name), "must be a string"});
    } else if (required && out.empty()) {
      errors_.push_back({field(name), "must not be empty"});
    }
  }

  void flag(std::string_view name, bool& out) {
    const boost::json::value* value = object_.if_contains(name);
    if (value == nullptr || !value->is_bool()) {
      errors_.push_back({field(name), "must be true or false"});
      return;
    }
    out = value->get_bool();
  }

 private:
  std::string field(std::string_view name) const { return path_ + "." + std::string(name); }

  const boost::json::object& object_;
  std::string path_;
  std::vector<FieldError>& errors_;
};

}  // namespace

Result<std::vector<SmsReport>> parse_sms_reports(std::string_view body) {
  boost::system::error_code parse_error;
  boost::json::value json = boost::json::parse(body, parse_error);
  if (parse_error) return invalid_field("body", "is not JSON");
  const boost::json::array* list = json.if_array();
  if (list == nullptr) return invalid_field("body", "must be a JSON array of SMS reports");

  std::vector<FieldError> errors;
  std::vector<SmsReport> reports;
  reports.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string path = "[" + std::to_string(i) + "]";
    const boost::json::object* object = (*list)[i].if_object();
    if (object == nullptr) {
      errors.push_back({path, "must be an object"});
      continue;
    }
    SmsReport report;
    ReportReader reader(*object, path, errors);
    reader.text("out_id", report.out_id, true);
    reader.text("biz_id", report.biz_id, true);
    reader.flag("success", report.success);
    reader.text("phone_number", report.phone, false);
    reader.text("err_code", report.err_code, false);
    reader.text("err_msg", report.err_msg, false);
    reader.text("report_time", report.report_time, false);
    reports.push_back(std::move(report));
  }
  if (!errors.empty()) return invalid_fields(std::move(errors));
  return reports;
}

}  // namespace depot::http
