#include "app/templates.h"

#include <gtest/gtest.h>

#include <string>

#include "domain/event_catalog.h"

namespace depot {
namespace {

std::string field_of(const Status& status) {
  return status.ok() || status.error().fields.empty() ? "" : status.error().fields.front().field;
}

std::string message_of(const Status& status) {
  return status.ok() || status.error().fields.empty() ? "" : status.error().fields.front().message;
}

Status body_only(std::string body) { return validate_template({"", std::move(body)}); }

std::map<std::string, std::string> values_with(std::map<std::string, std::string> some) {
  std::map<std::string, std::string> values;
  for (const TemplateVariable& variable : template_variables()) {
    values[std::string(variable.name)] = "";
  }
  for (auto& [name, value] : some) values[name] = value;
  return values;
}

RenderedMessage rendered(const MessageTemplate& message,
                         const std::map<std::string, std::string>& values) {
  Result<RenderedMessage> result = render_template(message, values);
  EXPECT_TRUE(result.ok()) << result.error().message;
  return result.ok() ? *result : RenderedMessage{};
}

TEST(TemplateValidation, AcceptsKnownVariablesInEveryKindOfTag) {
  Status status = validate_template(
      {"订单{{order_no}}已发货",
       "{{customer_name}}：{{#eta}}预计{{eta}}送达{{/eta}}{{^eta}}暂无预计时间{{/eta}}\n"
       "{{{tracking_link}}} {{& carrier_name}} {{! a comment }}{{#tracking_no}}{{#tracking_link}}"
       "{{tracking_no}}{{/tracking_link}}{{/tracking_no}}"});
  EXPECT_TRUE(status.ok()) << status.error().message;
}

TEST(TemplateValidation, NamesTheParsersSyntaxError) {
  Status unclosed_tag = body_only("您的订单{{order_no");
  ASSERT_FALSE(unclosed_tag.ok());
  EXPECT_EQ(unclosed_tag.error().code, ErrorCode::invalid);
  EXPECT_EQ(field_of(unclosed_tag), "body");
  EXPECT_EQ(message_of(unclosed_tag), "syntax error: Unclosed tag at 12");
  EXPECT_EQ(unclosed_tag.error().message, "body: syntax error: Unclosed tag at 12");

  Status unclosed_section = body_only("{{#eta}}预计{{eta}}送达");
  EXPECT_EQ(message_of(unclosed_section), "syntax error: Unclosed section \"eta\" at 0");
  Status unopened = body_only("送达{{/eta}}");
  EXPECT_EQ(message_of(unopened), "syntax error: Unopened section \"eta\" at 6");
  Status subject = validate_template({"{{#order_no}}", "ok"});
  EXPECT_EQ(field_of(subject), "subject");
  EXPECT_NE(message_of(subject).find("Unclosed section \"order_no\""), std::string::npos);
}

TEST(TemplateValidation, NamesAnUnknownVariableWhereverItIs) {
  Status typo = body_only("您的订单{{order_number}}已发货");
  ASSERT_FALSE(typo.ok());
  EXPECT_EQ(field_of(typo), "body");
  EXPECT_EQ(message_of(typo), "unknown variable {{order_number}} (did you mean {{order_no}}?)");

  for (std::string body :
       {"{{#shop}}x{{/shop}}", "{{^shop}}x{{/shop}}", "{{{shop}}}", "{{&shop}}",
        "{{#eta}}{{^tracking_no}}{{shop}}{{/tracking_no}}{{/eta}}", "{{=<% %>=}}<% shop %>"}) {
    Status status = body_only(body);
    EXPECT_EQ(message_of(status), "unknown variable {{shop}}") << body;
  }
  EXPECT_EQ(message_of(body_only("{{.}}")), "unknown variable {{.}}");
  EXPECT_EQ(message_of(body_only("{{order.no}}")).rfind("unknown variable {{order.no}}", 0), 0u);

  Status subject = validate_template({"{{shop_title}}", "{{order_no}}"});
  EXPECT_EQ(field_of(subject), "subject");
  EXPECT_EQ(message_of(subject).rfind("unknown variable {{shop_title}}", 0), 0u);
}

TEST(TemplateValidation, RefusesPartials) {
  Status status = body_only("您的订单{{order_no}}{{> footer}}");
  EXPECT_EQ(field_of(status), "body");
  EXPECT_EQ(message_of(status), "partials are not supported: {{> footer}}");
  EXPECT_FALSE(render_template({"", "{{> order_no}}"}, values_with({{"order_no", "{{x}}"}})).ok());
}

TEST(TemplateValidation, ReportsSubjectAndBodyTogether) {
  Status status = validate_template({"{{nope}}", "{{#eta}}"});
  ASSERT_FALSE(status.ok());
  ASSERT_EQ(status.error().fields.size(), 2u);
  EXPECT_EQ(status.error().fields[0].field, "subject");
  EXPECT_EQ(status.error().fields[1].field, "body");
}

TEST(TemplateValidation, LimitsSizesAndShape) {
  EXPECT_EQ(message_of(body_only("")), "must not be empty");
  EXPECT_EQ(message_of(body_only(" \n\t")), "must not be empty");

  std::string subject;
  for (std::size_t i = 0; i < kMaxSubjectChars; ++i) subject += "货";
  EXPECT_TRUE(validate_template({subject, "x"}).ok());
  Status long_subject = validate_template({subject + "货", "x"});
  EXPECT_EQ(field_of(long_subject), "subject");
  EXPECT_EQ(message_of(long_subject), "is longer than 200 characters");
  EXPECT_EQ(message_of(validate_template({"订单\n{{order_no}}", "x"})), "must be one line");

  EXPECT_TRUE(body_only(std::string(kMaxBodyBytes, 'x')).ok());
  EXPECT_EQ(message_of(body_only(std::string(kMaxBodyBytes + 1, 'x'))),
            "is longer than 4000 bytes (4001)");
}

TEST(TemplateLocales, EnglishTagsAreEnglishAndEverythingElseIsChinese) {
  EXPECT_EQ(template_locale("en"), "en");
  EXPECT_EQ(template_locale("en-US"), "en");
  EXPECT_EQ(template_locale(" EN_gb"), "en");
  EXPECT_EQ(template_locale("zh-CN"), "zh-CN");
  EXPECT_EQ(template_locale("fr"), "zh-CN");
  EXPECT_EQ(template_locale(""), "zh-CN");
  EXPECT_EQ(template_locale("english"), "zh-CN");
}

TEST(TemplateRendering, TextIsNotEscapedAndHtmlIs) {
  auto values = values_with({{"customer_name", "A&B <Co> \"x\" 'y'"}, {"order_no", "D1"}});
  RenderedMessage message = rendered(
      {"{{customer_name}}", "{{customer_name}} / {{{customer_name}}} / {{order_no}}"}, values);
  EXPECT_EQ(message.subject, "A&B <Co> \"x\" 'y'");
  EXPECT_EQ(message.text, "A&B <Co> \"x\" 'y' / A&B <Co> \"x\" 'y' / D1");
  EXPECT_NE(message.html.find("<p>A&amp;B &lt;Co&gt; &quot;x&quot; &#39;y&#39; / A&amp;B"),
            std::string::npos)
      << message.html;
  EXPECT_NE(message.html.find("<title>A&amp;B &lt;Co&gt;"), std::string::npos);
  EXPECT_EQ(message.html.find("<Co>"), std::string::npos);
}

TEST(TemplateRendering, ValuesAreTextNotTemplates) {
  auto values = values_with({{"customer_name", "{{order_no}}{{#x}}"}, {"order_no", "D1"}});
  EXPECT_EQ(rendered({"", "{{customer_name}}"}, values).text, "{{order_no}}{{#x}}");
}

TEST(TemplateRendering, EmptyAndMissingValuesAreFalseInSections) {
  MessageTemplate message{
      "", "已发货{{#eta}}，预计{{eta}}送达{{/eta}}{{^eta}}，暂无预计时间{{/eta}}。"};
  EXPECT_EQ(rendered(message, values_with({{"eta", "11月25日"}})).text,
            "已发货，预计11月25日送达。");
  EXPECT_EQ(rendered(message, values_with({})).text, "已发货，暂无预计时间。");
  EXPECT_EQ(rendered(message, {}).text, "已发货，暂无预计时间。");
  // A variable depot does not provide renders empty (validation is what refuses it).
  EXPECT_EQ(rendered({"", "a{{nope}}b"}, {}).text, "ab");
}

TEST(TemplateRendering, KeepsOneBlankLineAtMostAndTrimsTheEnds) {
  MessageTemplate message{"  {{order_no}}\n",
                          "\n{{order_no}}\n\n{{#eta}}\nETA {{eta}}\n{{/eta}}\n\nEnd\n"};
  RenderedMessage without = rendered(message, values_with({{"order_no", "D1"}}));
  EXPECT_EQ(without.subject, "D1");
  EXPECT_EQ(without.text, "D1\n\nEnd");
  RenderedMessage with = rendered(message, values_with({{"order_no", "D1"}, {"eta", "today"}}));
  EXPECT_EQ(with.text, "D1\n\nETA today\n\nEnd");
}

TEST(TemplateRendering, SubjectStaysOnOneLine) {
  auto values = values_with({{"reason", "line one\r\nline two"}});
  EXPECT_EQ(rendered({"Cancelled: {{reason}}", "x"}, values).subject,
            "Cancelled: line one line two");
}

TEST(TemplateRendering, RefusesWhatCannotBeRendered) {
  Result<RenderedMessage> result = render_template({"", "{{#eta}}"}, {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().fields.front().field, "body");
}

TEST(TemplateHtml, ParagraphsBreaksAndLinks) {
  RenderedMessage message =
      rendered({"Subject",
                "第一段\n\n第二段第一行\n查询物流：{{tracking_link}}。\n(see "
                "http://a.example/x?a=1&b=2).\n\n\n"
                "xhttp://not.a.link"},
               values_with({{"tracking_link", "https://shop.example.com/track/D1"}}));
  EXPECT_EQ(message.text,
            "第一段\n\n第二段第一行\n查询物流：https://shop.example.com/track/D1。\n(see "
            "http://a.example/x?a=1&b=2).\n\nxhttp://not.a.link");
  EXPECT_EQ(
      message.html,
      "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Subject</title>\n"
      "</head>\n<body>\n"
      "<p>第一段</p>\n"
      "<p>第二段第一行<br>\n"
      "查询物流：<a href=\"https://shop.example.com/track/D1\">https://shop.example.com/track/"
      "D1</a>。<br>\n"
      "(see <a href=\"http://a.example/x?a=1&amp;b=2\">http://a.example/x?a=1&amp;b=2</a>).</p>\n"
      "<p>xhttp://not.a.link</p>\n"
      "</body>\n</html>\n");
}

TEST(TemplateHtml, NoTitleWithoutASubject) {
  RenderedMessage message = rendered({"", "hello"}, {});
  EXPECT_EQ(message.html.find("<title>"), std::string::npos);
  EXPECT_NE(message.html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(message.html.find("<p>hello</p>"), std::string::npos);
}

// Values as a real order would give them: every variable set, so every part of every default
// shows up in the rendering.
std::map<std::string, std::string> full_values() {
  std::map<std::string, std::string> values;
  for (const TemplateVariable& variable : template_variables()) {
    values[std::string(variable.name)] = "<" + std::string(variable.name) + ">";
  }
  return values;
}

TEST(DefaultTemplates, EveryEventHasValidDefaultsOnEveryCustomerChannel) {
  for (const EventTypeInfo& info : event_catalog()) {
    for (ChannelKind channel : kCustomerChannels) {
      for (std::string_view locale : kSupportedLocales) {
        SCOPED_TRACE(std::string(info.name) + " " + std::string(to_string(channel)) + " " +
                     std::string(locale));
        MessageTemplate message = default_template(info.type, channel, locale);
        Status valid = validate_template(message);
        EXPECT_TRUE(valid.ok()) << valid.error().message;
        bool has_subject = channel == ChannelKind::email || channel == ChannelKind::push;
        EXPECT_EQ(message.subject.empty(), !has_subject);

        for (const auto& values : {full_values(), values_with({})}) {
          RenderedMessage out = rendered(message, values);
          EXPECT_FALSE(out.text.empty());
          EXPECT_EQ(out.text.find("{{"), std::string::npos);
          EXPECT_EQ(out.text.find("\n\n\n"), std::string::npos);
          EXPECT_EQ(out.subject.empty(), !has_subject);
        }
      }
      EXPECT_NE(default_template(info.type, channel, "zh-CN").body,
                default_template(info.type, channel, "en").body);
    }
    MessageTemplate webhook = default_template(info.type, ChannelKind::webhook, "zh-CN");
    EXPECT_TRUE(webhook.subject.empty() && webhook.body.empty()) << info.name;
  }
}

TEST(DefaultTemplates, ChannelsGetTheirShapes) {
  MessageTemplate sms = default_template(EventType::shipment_created, ChannelKind::sms, "zh-CN");
  EXPECT_EQ(sms.body,
            "您的订单{{order_no}}已发货，{{carrier_name}}运单号{{tracking_no}}{{#eta}}，预计{{eta}}"
            "送达{{/eta}}。{{#tracking_link}}查询物流：{{tracking_link}}{{/tracking_link}}");
  EXPECT_EQ(default_template(EventType::shipment_created, ChannelKind::wechat, "zh-CN").body,
            sms.body);
  MessageTemplate push = default_template(EventType::shipment_created, ChannelKind::push, "zh-CN");
  EXPECT_EQ(push.subject, "您的订单{{order_no}}已发货");
  EXPECT_EQ(push.body, sms.body);
  MessageTemplate email =
      default_template(EventType::shipment_created, ChannelKind::email, "zh-CN");
  EXPECT_EQ(email.subject, push.subject);
  EXPECT_TRUE(email.body.starts_with("{{#customer_name}}{{customer_name}}，您好："));
  EXPECT_NE(email.body.find("快递公司：{{carrier_name}}"), std::string::npos);

  MessageTemplate alert = default_template(EventType::stock_low, ChannelKind::email, "zh-CN");
  EXPECT_EQ(alert.body.find("您好"), std::string::npos);
  EXPECT_NE(alert.body.find("depot"), std::string::npos);
}

TEST(DefaultTemplates, EnglishForEnglishAndChineseForAnythingElse) {
  MessageTemplate english = default_template(EventType::shipment_created, ChannelKind::sms, "en");
  EXPECT_TRUE(english.body.starts_with("Your order {{order_no}} has shipped with")) << english.body;
  EXPECT_EQ(default_template(EventType::shipment_created, ChannelKind::sms, "en-US").body,
            english.body);
  MessageTemplate chinese =
      default_template(EventType::shipment_created, ChannelKind::sms, "zh-CN");
  for (std::string_view other : {"fr", "", "zh", "ja-JP"}) {
    EXPECT_EQ(default_template(EventType::shipment_created, ChannelKind::sms, other).body,
              chinese.body)
        << other;
  }
}

TEST(DefaultTemplates, ShipmentSmsReadsWellWithAndWithoutOptionalParts) {
  MessageTemplate sms = default_template(EventType::shipment_created, ChannelKind::sms, "zh-CN");
  auto values = values_with(
      {{"order_no", "D1"}, {"carrier_name", "顺丰速运"}, {"tracking_no", "SF1234567890123"}});
  EXPECT_EQ(rendered(sms, values).text, "您的订单D1已发货，顺丰速运运单号SF1234567890123。");
  values["eta"] = "11月25日";
  values["tracking_link"] = "https://shop.example.com/track/D1";
  EXPECT_EQ(rendered(sms, values).text,
            "您的订单D1已发货，顺丰速运运单号SF1234567890123，预计11月25日送达。查询物流："
            "https://shop.example.com/track/D1");

  MessageTemplate email = default_template(EventType::shipment_created, ChannelKind::email, "en");
  values["customer_name"] = "Li Lei";
  values["carrier_name"] = "SF Express";
  RenderedMessage out = rendered(email, values);
  EXPECT_EQ(out.subject, "Your order D1 has shipped");
  EXPECT_TRUE(
      out.text.starts_with("Hello Li Lei,\n\nGood news: your order D1 is on its way.\n\n"
                           "Carrier: SF Express\nTracking number: SF1234567890123\n"
                           "Expected delivery: 11月25日\n\nTrack your parcel: "
                           "https://shop.example.com/track/D1\n\n"))
      << out.text;
  EXPECT_NE(out.html.find("<a href=\"https://shop.example.com/track/D1\">"), std::string::npos);
}

}  // namespace
}  // namespace depot
