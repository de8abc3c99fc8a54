#pragma once
// The RFC 5322 / MIME text of a notification email, as SmtpChannel hands it to the server:
//   Date, From, To, Subject (RFC 2047 "B" encoded words when it is not plain ASCII), Message-ID
//   <KEY@depot> from the delivery's key, MIME-Version, X-Depot-Event, then a multipart/alternative
//   body with a text/plain and a text/html part (UTF-8, base64), or the text/plain part alone
//   when there is no HTML. Lines end in CRLF and stay well under 998 octets.
//
// Pure functions; safe from any thread.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace depot::channels {

// One mailbox: "shop@example.com", "<shop@example.com>" or "Shop 名 <shop@example.com>".
struct MailAddress {
  std::string display_name;  // UTF-8, may be empty
  std::string address;       // local@domain
};

// Reads one mailbox; nothing when the text is not exactly one address with an '@' (or holds
// characters that would break a header or an SMTP command: CR, LF, NUL, spaces, <, >).
std::optional<MailAddress> parse_mail_address(std::string_view text);

// The text as header words: as it is when it is short printable ASCII that cannot be mistaken for
// an encoded word, else RFC 2047 encoded words (=?UTF-8?B?…?=) of at most 64 characters, each
// holding whole UTF-8 characters, folded onto continuation lines (CRLF SP).
std::string encode_header_text(std::string_view utf8);

// "<KEY@depot>" with every character that a msg-id's dot-atom-text does not allow there (and '%'
// itself) written as %XY, so distinct keys give distinct ids. `key` must not be empty.
std::string message_id_for(std::string_view key);

// The Date header's value in RFC 5322 form, in UTC: "Sun, 23 Nov 2025 08:42:00 +0000".
std::string rfc5322_date(std::chrono::system_clock::time_point when);

struct EmailContent {
  MailAddress from;
  std::string to;  // a bare address
  std::string subject;
  std::string text;
  std::string html;  // empty: a text/plain message
  std::string message_id;
  std::string event;
  std::chrono::system_clock::time_point date;
  // The multipart boundary; it must not occur in the parts, which base64 guarantees for one
  // holding "=_" (base64 never writes '=' before its last characters).
  std::string boundary;
};

std::string compose_email(const EmailContent& content);

}  // namespace depot::channels
