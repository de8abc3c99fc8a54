#pragma once
// The Channel port spoken to a mail server over SMTP (RFC 5321), through libcurl on CurlThreads,
// so send() never waits on the network: libcurl waits for the reply to the message, and to QUIT,
// blocking, so each exchange has a thread of its own, and a server that stalls there holds up
// only its own mail.
//
// Account: `url` "smtp://host:port" (or "smtps://host:port" for TLS from the first byte); when it
// is empty, smtp://{host}:{port} from the settings (port 587 with STARTTLS, else 25). Settings:
//   from       the sender, "shop@example.com" or "Shop 名 <shop@example.com>"
//   username,  AUTH (curl picks PLAIN, LOGIN or CRAM-MD5 from what the server offers) when a
//   password   username is given
//   starttls   "true": STARTTLS is required (CURLUSESSL_ALL); a server without it is a failure
//   tls_verify "false": accept any certificate (self-signed test servers); verified otherwise
// Envelope: MAIL FROM:<from's address>, RCPT TO:<recipient>; the message is compose_email()'s:
// Message-ID <KEY@depot> from the delivery key, so a repeat after a crash is recognisable.
//
// Outcomes, from curl's result and the last SMTP reply code (CURLINFO_RESPONSE_CODE):
//   accepted (250 after DATA)                                   → sent
//   5xx, e.g. 550 mailbox unavailable, 553 bad address,
//       535 authentication failed, 554 transaction failed      → permanent
//   4xx (451 local error, 421 closing, 452 no space), no answer
//       (refused, reset, timeout), TLS failures                 → retry_later
//   a from, recipient or key that cannot make a mail           → permanent, nothing sent
// `response` is the server's line for the deciding reply ("550 5.1.1 <x@y>: Recipient address
// rejected") or curl's reason; it never holds the password.
//
// Thread safety: send() may be called from any thread at once; `done` runs on the exchange's thread
// (or on the caller's, before send() returns, for a message refused before it is sent).

#include <algorithm>
#include <chrono>
#include <functional>

#include "app/channel.h"
#include "net/curl_threads.h"

namespace depot::channels {

// A server that accepts the connection and then says nothing (no greeting, or no reply after
// EHLO, RCPT or the message) holds its mail until one of these ends it: the greeting, EHLO,
// STARTTLS and AUTH count towards connect_timeout, everything towards timeout, and it ends as
// retry_later. A server silent after the message holds its exchange's thread for up to twice
// `timeout` (libcurl waits for that reply, and then for QUIT's).
struct SmtpChannelOptions {
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds timeout{60000};  // the whole exchange, from connect to the last reply

  // The defaults with the whole exchange bounded by `timeout` (and the connection by the shorter
  // of the two).
  static SmtpChannelOptions within(std::chrono::milliseconds timeout) {
    SmtpChannelOptions options;
    options.timeout = timeout;
    options.connect_timeout = std::min(options.connect_timeout, timeout);
    return options;
  }
};

class SmtpChannel final : public Channel {
 public:
  // `threads` must outlive the channel and every send in flight.
  explicit SmtpChannel(net::CurlThreads& threads, SmtpChannelOptions options = {});

  void send(const ChannelAccount& account, const OutgoingMessage& message,
            std::function<void(SendOutcome)> done) override;

 private:
  net::CurlThreads& threads_;
  const SmtpChannelOptions options_;
};

// How a finished SMTP transfer ends, from curl's result, the last reply code, the server's line
// for that code (empty when not seen) and curl's error text.
SendOutcome smtp_outcome(CURLcode code, long reply_code, const std::string& reply,
                         const std::string& error_text);

}  // namespace depot::channels
