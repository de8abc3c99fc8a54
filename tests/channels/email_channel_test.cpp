#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <openssl/evp.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "channels/email/smtp_channel.h"
#include "channels/email/smtp_message.h"
#include "channels/smtp_receiver.h"
#include "channels/smtp_test_cert.h"
#include "net/curl_threads.h"

namespace depot::channels {
namespace {

using depot::testing::ReceivedMail;
using depot::testing::SmtpReceiver;
using depot::testing::SmtpReceiverOptions;
using Kind = SendOutcome::Kind;

constexpr const char* kSubject =
    "您的订单 DP-1001 已发货：顺丰速运 SF1234567890，预计明天送达，请留意查收";
constexpr const char* kText = "您好，张三：\n您的订单 DP-1001 已发货。\n";
constexpr const char* kHtml = "<p>您好，<b>张三</b>：您的订单 DP-1001 已发货。</p>";

ChannelAccount account_for(int port) {
  ChannelAccount account;
  account.kind = ChannelKind::email;
  account.settings = {{"host", "127.0.0.1"},
                      {"port", std::to_string(port)},
                      {"from", "Depot 商店 <shop@example.com>"}};
  return account;
}

OutgoingMessage message_to(std::string recipient,
                           std::string key = "7:42:email:zhang@example.com") {
  OutgoingMessage message;
  message.key = std::move(key);
  message.event = "shipment.created";
  message.recipient = std::move(recipient);
  message.subject = kSubject;
  message.text = kText;
  message.html = kHtml;
  return message;
}

SendOutcome send(Channel& channel, const ChannelAccount& account, const OutgoingMessage& message) {
  std::promise<SendOutcome> promise;
  auto future = promise.get_future();
  channel.send(account, message,
               [&promise](SendOutcome outcome) { promise.set_value(std::move(outcome)); });
  if (future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    ADD_FAILURE() << "the channel did not answer in time";
    return {};
  }
  return future.get();
}

// A port that was listening a moment ago and is closed now: connecting is refused at once.
int closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

std::string decode_base64(std::string_view text) {
  std::string out(3 * text.size() / 4, '\0');
  int size = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                             reinterpret_cast<const unsigned char*>(text.data()),
                             static_cast<int>(text.size()));
  if (size < 0) return "<not base64>";
  std::size_t padding = 0;
  while (padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  out.resize(static_cast<std::size_t>(size) - padding);
  return out;
}

bool is_whole_utf8(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    auto lead = static_cast<unsigned char>(bytes[i]);
    std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : 4;
    if (i + length > bytes.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(bytes[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

class SmtpChannelTest : public ::testing::Test {
 protected:
  net::CurlThreads threads_;
  SmtpChannel channel_{threads_,
                       {std::chrono::milliseconds(3000), std::chrono::milliseconds(15000)}};
};

TEST_F(SmtpChannelTest, DeliversAMultipartMessageAMailClientReads) {
  SmtpReceiver receiver;
  SendOutcome outcome =
      send(channel_, account_for(receiver.port()), message_to("zhang@example.com"));
  ASSERT_EQ(outcome.kind, Kind::sent) << outcome.response;
  EXPECT_EQ(outcome.response, "250 2.0.0 Ok: queued as depot0001");

  std::vector<ReceivedMail> mails = receiver.mails();
  ASSERT_EQ(mails.size(), 1u);
  const ReceivedMail& mail = mails[0];
  EXPECT_EQ(mail.mail_from, "shop@example.com");
  EXPECT_EQ(mail.rcpt_tos, std::vector<std::string>{"zhang@example.com"});
  EXPECT_FALSE(mail.tls);
  EXPECT_EQ(mail.auth_login, "");
  EXPECT_TRUE(mail.defects.empty()) << mail.defects.front();
  EXPECT_EQ(mail.subject, kSubject);
  EXPECT_EQ(mail.from, "Depot 商店 <shop@example.com>");
  EXPECT_EQ(mail.to, "zhang@example.com");
  EXPECT_EQ(mail.message_id, "<7%3A42%3Aemail%3Azhang%40example.com@depot>");
  EXPECT_EQ(mail.mime_version, "1.0");
  EXPECT_EQ(mail.x_depot_event, "shipment.created");
  EXPECT_TRUE(mail.date_valid);
  EXPECT_EQ(mail.content_type, "multipart/alternative");
  ASSERT_EQ(mail.parts.size(), 2u);
  EXPECT_EQ(mail.parts[0].content_type, "text/plain");
  EXPECT_EQ(mail.parts[0].charset, "utf-8");
  EXPECT_EQ(mail.parts[0].body, kText);
  EXPECT_EQ(mail.parts[1].content_type, "text/html");
  EXPECT_EQ(mail.parts[1].charset, "utf-8");
  EXPECT_EQ(mail.parts[1].body, kHtml);
  // Every line is short: encoded words and base64 keep the message 7-bit and within 78 columns.
  std::size_t start = 0;
  while (start < mail.raw.size()) {
    std::size_t end = mail.raw.find('\n', start);
    if (end == std::string::npos) end = mail.raw.size();
    std::string line = mail.raw.substr(start, end - start);
    EXPECT_LE(line.size(), 78u) << line;
    for (unsigned char c : line) ASSERT_LT(c, 0x80) << line;
    start = end + 1;
  }
}

TEST_F(SmtpChannelTest, SendsPlainTextAloneWhenThereIsNoHtml) {
  SmtpReceiver receiver;
  OutgoingMessage message = message_to("li@example.com");
  message.html.clear();
  message.subject = "Order DP-1001 shipped";
  ASSERT_EQ(send(channel_, account_for(receiver.port()), message).kind, Kind::sent);
  auto mails = receiver.mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].content_type, "text/plain");
  EXPECT_EQ(mails[0].subject, "Order DP-1001 shipped");
  ASSERT_EQ(mails[0].parts.size(), 1u);
  EXPECT_EQ(mails[0].parts[0].body, kText);
  EXPECT_TRUE(mails[0].defects.empty());
}

TEST_F(SmtpChannelTest, UsesTheAccountUrlWhenItHasOne) {
  SmtpReceiver receiver;
  ChannelAccount account = account_for(closed_port());
  account.url = receiver.url();
  ASSERT_EQ(send(channel_, account, message_to("zhang@example.com")).kind, Kind::sent);
  EXPECT_EQ(receiver.mails().size(), 1u);
}

TEST_F(SmtpChannelTest, AuthenticatesWithTheAccountsCredentials) {
  SmtpReceiverOptions options;
  options.auth = "depot:s3cret-pass";
  SmtpReceiver receiver(options);
  ChannelAccount account = account_for(receiver.port());
  account.settings["username"] = "depot";
  account.settings["password"] = "s3cret-pass";
  SendOutcome outcome = send(channel_, account, message_to("zhang@example.com"));
  ASSERT_EQ(outcome.kind, Kind::sent) << outcome.response;
  auto mails = receiver.mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].auth_login, "depot");
}

TEST_F(SmtpChannelTest, AWrongPasswordIsPermanentAndNeverEchoed) {
  SmtpReceiverOptions options;
  options.auth = "depot:s3cret-pass";
  SmtpReceiver receiver(options);
  ChannelAccount account = account_for(receiver.port());
  account.settings["username"] = "depot";
  account.settings["password"] = "wrong-pass";
  SendOutcome outcome = send(channel_, account, message_to("zhang@example.com"));
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_TRUE(outcome.response.starts_with("535")) << outcome.response;
  EXPECT_EQ(outcome.response.find("wrong-pass"), std::string::npos);
  EXPECT_TRUE(receiver.mails().empty());
}

TEST_F(SmtpChannelTest, AServerThatRequiresAuthRefusesAnAccountWithoutIt) {
  SmtpReceiverOptions options;
  options.auth = "depot:s3cret-pass";
  SmtpReceiver receiver(options);
  SendOutcome outcome =
      send(channel_, account_for(receiver.port()), message_to("zhang@example.com"));
  EXPECT_EQ(outcome.kind, Kind::permanent) << outcome.response;
  EXPECT_TRUE(outcome.response.starts_with("530")) << outcome.response;
  EXPECT_TRUE(receiver.mails().empty());
}

class SmtpStartTlsTest : public SmtpChannelTest {
 protected:
  void SetUp() override {
    testing::write_self_signed_certificate(files_.file("cert.pem"), files_.file("key.pem"));
    SmtpReceiverOptions options;
    options.auth = "depot:s3cret-pass";
    options.tls_cert = files_.file("cert.pem");
    options.tls_key = files_.file("key.pem");
    receiver_ = std::make_unique<SmtpReceiver>(options);
    account_ = account_for(receiver_->port());
    account_.settings["starttls"] = "true";
    account_.settings["username"] = "depot";
    account_.settings["password"] = "s3cret-pass";
  }

  testing::TempDir files_;
  std::unique_ptr<SmtpReceiver> receiver_;
  ChannelAccount account_;
};

TEST_F(SmtpStartTlsTest, UpgradesToTlsBeforeAuthenticating) {
  account_.settings["tls_verify"] = "false";
  SendOutcome outcome = send(channel_, account_, message_to("zhang@example.com"));
  ASSERT_EQ(outcome.kind, Kind::sent) << outcome.response;
  auto mails = receiver_->mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_TRUE(mails[0].tls);
  EXPECT_EQ(mails[0].auth_login, "depot");
  EXPECT_EQ(mails[0].subject, kSubject);
}

TEST_F(SmtpStartTlsTest, VerifiesTheServersCertificateUnlessToldNotTo) {
  SendOutcome outcome = send(channel_, account_, message_to("zhang@example.com"));
  EXPECT_EQ(outcome.kind, Kind::retry_later) << outcome.response;
  EXPECT_TRUE(receiver_->mails().empty());
}

TEST_F(SmtpChannelTest, NeverSendsInTheClearWhenStartTlsIsRequired) {
  SmtpReceiver receiver;  // offers no STARTTLS
  ChannelAccount account = account_for(receiver.port());
  account.settings["starttls"] = "true";
  SendOutcome outcome = send(channel_, account, message_to("zhang@example.com"));
  EXPECT_EQ(outcome.kind, Kind::retry_later) << outcome.response;
  EXPECT_TRUE(receiver.mails().empty());
}

TEST_F(SmtpChannelTest, ARefusedMailboxIsPermanent) {
  SmtpReceiverOptions options;
  options.refuse = {"gone@example.com"};
  SmtpReceiver receiver(options);
  SendOutcome outcome =
      send(channel_, account_for(receiver.port()), message_to("gone@example.com"));
  EXPECT_EQ(outcome.kind, Kind::permanent);
  EXPECT_EQ(outcome.response,
            "550 5.1.1 <gone@example.com>: Recipient address rejected: mailbox unavailable");
  EXPECT_TRUE(receiver.mails().empty());
}

TEST_F(SmtpChannelTest, ATemporaryRefusalIsRetriedLater) {
  SmtpReceiverOptions options;
  options.defer = true;
  SmtpReceiver receiver(options);
  SendOutcome outcome =
      send(channel_, account_for(receiver.port()), message_to("zhang@example.com"));
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_EQ(outcome.response, "451 4.3.0 Temporary local problem, try again later");
}

// libcurl waits for the reply to the message blocking the thread that drives the exchange: one
// server that never answers it must not hold up mail to the others.
TEST_F(SmtpChannelTest, AServerSilentAfterTheMessageHoldsUpOnlyItsOwnMail) {
  SmtpReceiverOptions stalling;
  stalling.stall = true;
  SmtpReceiver silent(stalling);
  SmtpReceiver healthy;
  constexpr std::chrono::seconds kTimeout{4};
  SmtpChannel channel(threads_, SmtpChannelOptions::within(kTimeout));
  std::promise<SendOutcome> stalled;
  auto stalled_outcome = stalled.get_future();
  auto started = std::chrono::steady_clock::now();
  channel.send(account_for(silent.port()), message_to("zhang@example.com"),
               [&stalled](SendOutcome outcome) { stalled.set_value(std::move(outcome)); });
  // Let the first message reach the point where its server goes quiet.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  SendOutcome other = send(channel, account_for(healthy.port()), message_to("li@example.com"));
  EXPECT_EQ(other.kind, Kind::sent) << other.response;
  EXPECT_LT(std::chrono::steady_clock::now() - started, kTimeout / 2);
  EXPECT_EQ(stalled_outcome.wait_for(std::chrono::seconds(0)), std::future_status::timeout);

  ASSERT_EQ(stalled_outcome.wait_for(3 * kTimeout), std::future_status::ready);
  SendOutcome outcome = stalled_outcome.get();
  EXPECT_EQ(outcome.kind, Kind::retry_later) << outcome.response;
  EXPECT_GE(std::chrono::steady_clock::now() - started, kTimeout);
}

TEST_F(SmtpChannelTest, AClosedPortIsRetriedLater) {
  SendOutcome outcome = send(channel_, account_for(closed_port()), message_to("zhang@example.com"));
  EXPECT_EQ(outcome.kind, Kind::retry_later);
  EXPECT_FALSE(outcome.response.empty());
}

TEST_F(SmtpChannelTest, SendsManyAtOnceEachWithItsOwnMessageId) {
  SmtpReceiver receiver;
  constexpr int kMessages = 8;
  std::vector<std::promise<SendOutcome>> promises(kMessages);
  for (int i = 0; i < kMessages; ++i) {
    channel_.send(
        account_for(receiver.port()),
        message_to("user" + std::to_string(i) + "@example.com", "key-" + std::to_string(i)),
        [&promises, i](SendOutcome outcome) { promises[i].set_value(std::move(outcome)); });
  }
  for (auto& promise : promises) {
    auto future = promise.get_future();
    ASSERT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    EXPECT_EQ(future.get().kind, Kind::sent);
  }
  auto mails = receiver.mails();
  ASSERT_EQ(mails.size(), static_cast<std::size_t>(kMessages));
  std::vector<std::string> ids;
  for (const auto& mail : mails) {
    EXPECT_EQ(mail.message_id, "<key-" + mail.rcpt_tos.at(0).substr(4, 1) + "@depot>");
    ids.push_back(mail.message_id);
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end());
}

TEST_F(SmtpChannelTest, RefusesWhatCannotBeAMailWithoutConnecting) {
  ChannelAccount account = account_for(closed_port());
  for (const char* recipient : {"", "not-an-address", "a@b.example\r\nBcc: x@evil.example",
                                "Someone <a@b.example>", "two@a.example, three@b.example"}) {
    SendOutcome outcome = send(channel_, account, message_to(recipient));
    EXPECT_EQ(outcome.kind, Kind::permanent) << recipient;
  }
  EXPECT_EQ(send(channel_, account, message_to("a@b.example", "")).kind, Kind::permanent);
  ChannelAccount no_from = account;
  no_from.settings.erase("from");
  EXPECT_EQ(send(channel_, no_from, message_to("a@b.example")).kind, Kind::permanent);
  ChannelAccount no_host = account;
  no_host.settings.erase("host");
  EXPECT_EQ(send(channel_, no_host, message_to("a@b.example")).kind, Kind::permanent);
  ChannelAccount http = account;
  http.url = "http://127.0.0.1:25";
  EXPECT_EQ(send(channel_, http, message_to("a@b.example")).kind, Kind::permanent);
}

// ---- The message text, without a server ----

TEST(SmtpMessage, EncodesASubjectInWordsThatKeepWholeCharacters) {
  std::string subject = kSubject;
  std::string encoded = encode_header_text(subject);
  std::string decoded;
  std::size_t words = 0;
  std::size_t start = 0;
  while (start < encoded.size()) {
    std::size_t end = encoded.find("\r\n ", start);
    if (end == std::string::npos) end = encoded.size();
    std::string word = encoded.substr(start, end - start);
    ++words;
    EXPECT_LE(word.size(), 75u);
    ASSERT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?=")) << word;
    std::string bytes = decode_base64(word.substr(10, word.size() - 12));
    EXPECT_TRUE(is_whole_utf8(bytes)) << word;
    decoded += bytes;
    start = end + 3;
  }
  EXPECT_GT(words, 1u);
  EXPECT_EQ(decoded, subject);
}

TEST(SmtpMessage, LeavesShortAsciiSubjectsAlone) {
  EXPECT_EQ(encode_header_text("Order DP-1001 shipped"), "Order DP-1001 shipped");
  // Text that a reader would take for an encoded word is encoded itself.
  EXPECT_TRUE(encode_header_text("=?UTF-8?B?eA==?=").starts_with("=?UTF-8?B?"));
  EXPECT_TRUE(encode_header_text("line\r\nBcc: x@evil.example").starts_with("=?UTF-8?B?"));
}

TEST(SmtpMessage, MakesAValidDistinctMessageIdFromAnyKey) {
  EXPECT_EQ(message_id_for("abc-123"), "<abc-123@depot>");
  EXPECT_EQ(message_id_for("1:2 x@y.z"), "<1%3A2%20x%40y.z@depot>");
  // Dots only between atoms, as a dot-atom has them.
  EXPECT_EQ(message_id_for(".a..b."), "<%2Ea.%2Eb%2E@depot>");
  // '%' is escaped too, so an escaped key never equals another key as it is.
  EXPECT_NE(message_id_for("a%3A"), message_id_for("a:"));
  EXPECT_EQ(message_id_for("订"), "<%E8%AE%A2@depot>");
}

TEST(SmtpMessage, ReadsOneMailboxAndNothingElse) {
  auto plain = parse_mail_address(" shop@example.com ");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->address, "shop@example.com");
  EXPECT_EQ(plain->display_name, "");
  auto named = parse_mail_address("\"Depot 商店\" <shop@example.com>");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->display_name, "Depot 商店");
  EXPECT_EQ(named->address, "shop@example.com");
  EXPECT_FALSE(parse_mail_address("shop@example.com>"));
  EXPECT_FALSE(parse_mail_address("@example.com"));
  EXPECT_FALSE(parse_mail_address("shop@"));
  EXPECT_FALSE(parse_mail_address("a b@example.com"));
  EXPECT_FALSE(parse_mail_address("Shop <shop@example.com"));
}

TEST(SmtpMessage, WritesTheDateInRfc5322Form) {
  auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1763887320));
  EXPECT_EQ(rfc5322_date(when), "Sun, 23 Nov 2025 08:42:00 +0000");
}

TEST(SmtpOutcome, MapsRepliesToTheThreeOutcomes) {
  EXPECT_EQ(smtp_outcome(CURLE_OK, 250, "250 ok", "").kind, Kind::sent);
  EXPECT_EQ(smtp_outcome(CURLE_SEND_ERROR, 550, "550 no such user", "RCPT failed: 550").kind,
            Kind::permanent);
  EXPECT_EQ(smtp_outcome(CURLE_SEND_ERROR, 553, "553 bad address", "").kind, Kind::permanent);
  EXPECT_EQ(smtp_outcome(CURLE_LOGIN_DENIED, 535, "535 nope", "Login denied").kind,
            Kind::permanent);
  EXPECT_EQ(smtp_outcome(CURLE_SEND_ERROR, 452, "452 full", "").kind, Kind::retry_later);
  EXPECT_EQ(smtp_outcome(CURLE_WEIRD_SERVER_REPLY, 421, "421 closing", "").kind, Kind::retry_later);
  EXPECT_EQ(smtp_outcome(CURLE_OPERATION_TIMEDOUT, 250, "250 ok", "timed out").kind,
            Kind::retry_later);
  SendOutcome refused = smtp_outcome(CURLE_COULDNT_CONNECT, 0, "", "Connection refused");
  EXPECT_EQ(refused.kind, Kind::retry_later);
  EXPECT_EQ(refused.response, "Connection refused");
  // A reply code whose line was not seen still says which code it was.
  EXPECT_EQ(smtp_outcome(CURLE_SEND_ERROR, 550, "", "RCPT failed: 550").response,
            "550 (RCPT failed: 550)");
}

}  // namespace
}  // namespace depot::channels
