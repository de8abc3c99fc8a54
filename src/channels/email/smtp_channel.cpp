#include "channels/email/smtp_channel.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "channels/email/smtp_message.h"
#include "net/encoding.h"

namespace depot::channels {
namespace {

constexpr std::size_t kLongestResponse = 300;

// What one SMTP exchange needs beyond the Transfer: the message as it is read out, and the
// server's latest reply lines. It lives in the completion callback, which outlives the transfer.
struct SmtpExchange {
  static constexpr std::size_t kRepliesKept = 16;

  std::string message;
  std::size_t sent = 0;
  std::deque<std::string> replies;

  // The latest line of the reply with this code: the one that decided the outcome, not the
  // "221 Bye" curl's QUIT draws after a failure.
  std::string reply_for(long code) const {
    std::string prefix = std::to_string(code);
    for (auto line = replies.rbegin(); line != replies.rend(); ++line) {
      if (line->starts_with(prefix)) return *line;
    }
    return {};
  }
};

std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<SmtpExchange*>(user);
  std::size_t take = std::min(size * count, exchange->message.size() - exchange->sent);
  // curl's read callback takes bytes and their count, not a C string: nothing to terminate.
  // NOLINTNEXTLINE(bugprone-not-null-terminated-result)
  std::memcpy(buffer, exchange->message.data() + exchange->sent, take);
  exchange->sent += take;
  return take;
}

// curl rewinds the upload when it sends it again on a fresh connection.
int seek_message(void* user, curl_off_t offset, int origin) {
  auto* exchange = static_cast<SmtpExchange*>(user);
  if (origin != SEEK_SET || offset < 0 ||
      static_cast<std::size_t>(offset) > exchange->message.size()) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  exchange->sent = static_cast<std::size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

// curl hands every SMTP reply line to the header callback.
std::size_t keep_reply(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<SmtpExchange*>(user);
  std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  bool has_code = line.size() >= 3 && std::all_of(line.begin(), line.begin() + 3,
                                                  [](char c) { return c >= '0' && c <= '9'; });
  if (!has_code) return bytes;
  exchange->replies.emplace_back(line.substr(0, kLongestResponse));
  if (exchange->replies.size() > SmtpExchange::kRepliesKept) exchange->replies.pop_front();
  return bytes;
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return net::hex_encode(raw);
}

// The server's URL, or nothing when the account names none that curl could reach.
std::optional<std::string> server_url(const ChannelAccount& account, bool starttls) {
  if (!account.url.empty()) {
    if (!account.url.starts_with("smtp://") && !account.url.starts_with("smtps://")) {
      return std::nullopt;
    }
    return account.url;
  }
  std::string host = account.setting("host");
  if (host.empty() || host.find_first_of("/@?# \r\n") != std::string::npos) return std::nullopt;
  std::string port = account.setting("port");
  if (port.empty()) port = starttls ? "587" : "25";
  bool numeric = port.size() <= 5 &&
                 std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!numeric || std::stoi(port) == 0 || std::stoi(port) > 65535) return std::nullopt;
  // An IPv6 literal needs brackets in a URL.
  if (host.find(':') != std::string::npos && !host.starts_with('[')) host = "[" + host + "]";
  return "smtp://" + host + ":" + port;
}

}  // namespace

SendOutcome smtp_outcome(CURLcode code, long reply_code, const std::string& reply,
                         const std::string& error_text) {
  SendOutcome outcome;
  std::string code_text = std::to_string(reply_code);
  // The server's own words when its line for the code was seen, else the code and curl's.
  std::string server_said =
      reply.starts_with(code_text) && reply_code != 0 ? reply : code_text + " (" + error_text + ")";
  if (code == CURLE_OK) {
    outcome.kind = SendOutcome::Kind::sent;
    outcome.response = reply.empty() ? code_text : reply;
    return outcome;
  }
  if (reply_code >= 500 && reply_code < 600) {
    outcome.kind = SendOutcome::Kind::permanent;
    outcome.response = server_said;
    return outcome;
  }
  outcome.kind = SendOutcome::Kind::retry_later;
  if (reply_code >= 400 && reply_code < 500) {
    outcome.response = server_said;
  } else {
    outcome.response = error_text;
  }
  return outcome;
}

SmtpChannel::SmtpChannel(net::CurlThreads& threads, SmtpChannelOptions options)
    : threads_(threads), options_(options) {}

void SmtpChannel::send(const ChannelAccount& account, const OutgoingMessage& message,
                       std::function<void(SendOutcome)> done) {
  bool starttls = account.setting("starttls") == "true";
  std::optional<std::string> url = server_url(account, starttls);
  if (!url) {
    done(SendOutcome::refused("the email account has no smtp:// url nor a valid host and port"));
    return;
  }
  std::optional<MailAddress> from = parse_mail_address(account.setting("from"));
  if (!from) {
    done(SendOutcome::refused("the email account's from is not an email address"));
    return;
  }
  std::optional<MailAddress> to = parse_mail_address(message.recipient);
  if (!to || !to->display_name.empty()) {
    done(SendOutcome::refused("the recipient is not an email address"));
    return;
  }
  if (message.key.empty()) {
    done(SendOutcome::refused("the message has no key to make its Message-ID from"));
    return;
  }

  auto exchange = std::make_shared<SmtpExchange>();
  std::unique_ptr<net::Transfer> transfer;
  try {
    EmailContent content;
    content.from = *from;
    content.to = to->address;
    content.subject = message.subject;
    content.text = message.text;
    content.html = message.html;
    content.message_id = message_id_for(message.key);
    content.event = message.event;
    content.date = std::chrono::system_clock::now();
    content.boundary = "=_depot_" + random_hex(12);
    exchange->message = compose_email(content);
    transfer = threads_.transfer();
  } catch (const std::exception& failure) {
    SendOutcome outcome;
    outcome.kind = SendOutcome::Kind::retry_later;
    outcome.response = failure.what();
    done(std::move(outcome));
    return;
  }

  CURL* easy = transfer->handle();
  curl_easy_setopt(easy, CURLOPT_URL, url->c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  // libcurl waits for the reply to the message, and to QUIT, blocking the exchange's thread: the
  // wait for QUIT heeds only this (120 s by default), so it is held to the exchange's timeout.
  curl_easy_setopt(
      easy, CURLOPT_SERVER_RESPONSE_TIMEOUT,
      static_cast<long>(std::max<std::int64_t>(
          1, std::chrono::duration_cast<std::chrono::seconds>(options_.timeout).count())));
  std::string envelope_from = "<" + from->address + ">";
  curl_easy_setopt(easy, CURLOPT_MAIL_FROM, envelope_from.c_str());
  transfer->set_recipients(curl_slist_append(nullptr, ("<" + to->address + ">").c_str()));
  curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(easy, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(easy, CURLOPT_READDATA, exchange.get());
  curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, seek_message);
  curl_easy_setopt(easy, CURLOPT_SEEKDATA, exchange.get());
  curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE,
                   static_cast<curl_off_t>(exchange->message.size()));
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, keep_reply);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, exchange.get());
  if (starttls) curl_easy_setopt(easy, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  bool verify = account.setting("tls_verify") != "false";
  if (!verify) {
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  // libcurl hands a kept smtp:// connection to the next mail for the same host, port and login
  // without asking whether it turned STARTTLS on or verified the server: only a connection that
  // did both may be kept, so no mail ever rides on one weaker than it asked for.
  if (!starttls || !verify) curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, 1L);
  std::string username = account.setting("username");
  if (!username.empty()) {
    curl_easy_setopt(easy, CURLOPT_USERNAME, username.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, account.setting("password").c_str());
  }

  threads_.perform(
      std::move(transfer), [threads = &threads_, exchange, done = std::move(done)](
                               std::unique_ptr<net::Transfer> finished, CURLcode code) {
        long reply_code = finished->status();
        SendOutcome outcome = smtp_outcome(code, reply_code, exchange->reply_for(reply_code),
                                           finished->error_text(code));
        // The handle lets go of the exchange its callbacks point at before the exchange goes.
        threads->recycle(std::move(finished));
        done(std::move(outcome));
      });
}

}  // namespace depot::channels
