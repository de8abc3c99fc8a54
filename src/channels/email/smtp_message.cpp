#include "channels/email/smtp_message.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "domain/order_rules.h"
#include "net/encoding.h"

namespace depot::channels {
namespace {

// A MIME body in base64, 76 characters a line (RFC 2045 6.8).
std::string base64_lines(std::string_view bytes) {
  std::string encoded = net::base64_encode(bytes);
  std::string out;
  out.reserve(encoded.size() + encoded.size() / 38 + 2);
  for (std::size_t at = 0; at < encoded.size(); at += 76) {
    out.append(encoded, at, 76);
    out += "\r\n";
  }
  return out;
}

bool is_printable_ascii(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

bool breaks_a_header(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

bool is_atext(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

bool is_mail_address(std::string_view address) {
  auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  for (unsigned char c : address) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';') return false;
  }
  return true;
}

// RFC 2047 encoded words. 39 bytes make 52 base64 characters: a word of 64 with "=?UTF-8?B?" and
// "?=", so even the first, after "Subject: ", keeps its line within the 76 characters RFC 2047
// allows a line with encoded words.
std::string encoded_words(std::string_view utf8) {
  constexpr std::size_t kBytesPerWord = 39;
  std::string out;
  while (!utf8.empty()) {
    std::size_t take = std::min(kBytesPerWord, utf8.size());
    // Never end a word inside a character: back up over continuation bytes (10xxxxxx).
    std::size_t cut = take;
    while (cut > 0 && cut < utf8.size() && (static_cast<unsigned char>(utf8[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    if (cut == 0) cut = take;  // not UTF-8 at all: split the bytes as they come
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?";
    out += net::base64_encode(utf8.substr(0, cut));
    out += "?=";
    utf8.remove_prefix(cut);
  }
  return out;
}

// A display name as a phrase: atoms as they are, other ASCII quoted, anything else encoded.
std::string encode_display_name(std::string_view name) {
  if (!is_printable_ascii(name) || name.find("=?") != std::string_view::npos) {
    return encoded_words(name);
  }
  bool atoms_only = true;
  for (unsigned char c : name) {
    if (c != ' ' && !is_atext(c)) atoms_only = false;
  }
  if (atoms_only) return std::string(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

// What an X- header may carry: printable ASCII, nothing else.
std::string header_safe(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x20 && c <= 0x7e) out += static_cast<char>(c);
  }
  return out;
}

}  // namespace

std::optional<MailAddress> parse_mail_address(std::string_view text) {
  if (breaks_a_header(text)) return std::nullopt;
  std::optional<MailboxParts> parts = split_mailbox(text);
  if (!parts || !is_mail_address(parts->address)) return std::nullopt;
  return MailAddress{std::string(parts->display_name), std::string(parts->address)};
}

std::string encode_header_text(std::string_view utf8) {
  constexpr std::size_t kLongestPlain = 900;  // a header line may hold 998 octets
  if (is_printable_ascii(utf8) && utf8.find("=?") == std::string_view::npos &&
      utf8.size() <= kLongestPlain) {
    return std::string(utf8);
  }
  return encoded_words(utf8);
}

std::string message_id_for(std::string_view key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string id = "<";
  for (std::size_t i = 0; i < key.size(); ++i) {
    auto c = static_cast<unsigned char>(key[i]);
    // A dot-atom has dots only between atoms: never first, last or twice in a row.
    bool inner_dot = c == '.' && i > 0 && i + 1 < key.size() && id.back() != '.';
    if ((is_atext(c) && c != '%') || inner_dot) {
      id += static_cast<char>(c);
    } else {
      id += '%';
      id += kHex[c >> 4];
      id += kHex[c & 0xF];
    }
  }
  id += "@depot>";
  return id;
}

std::string rfc5322_date(std::chrono::system_clock::time_point when) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[utc.tm_wday],
                utc.tm_mday, kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                utc.tm_sec);
  return text;
}

std::string compose_email(const EmailContent& content) {
  std::string from =
      content.from.display_name.empty()
          ? content.from.address
          : encode_display_name(content.from.display_name) + " <" + content.from.address + ">";
  std::string mail;
  mail += "Date: " + rfc5322_date(content.date) + "\r\n";
  mail += "From: " + from + "\r\n";
  mail += "To: " + content.to + "\r\n";
  mail += "Subject: " + encode_header_text(content.subject) + "\r\n";
  mail += "Message-ID: " + content.message_id + "\r\n";
  mail += "MIME-Version: 1.0\r\n";
  mail += "X-Depot-Event: " + header_safe(content.event) + "\r\n";

  const std::string text_part_headers =
      "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n";
  if (content.html.empty()) {
    mail += text_part_headers + "\r\n";
    mail += base64_lines(content.text);
    return mail;
  }
  const std::string delimiter = "--" + content.boundary;
  mail += "Content-Type: multipart/alternative;\r\n boundary=\"" + content.boundary + "\"\r\n\r\n";
  // Readers show the last alternative they can: plain text first, HTML last.
  mail += delimiter + "\r\n" + text_part_headers + "\r\n" + base64_lines(content.text);
  mail += delimiter + "\r\n" +
          "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
          base64_lines(content.html);
  mail += delimiter + "--\r\n";
  return mail;
}

}  // namespace depot::channels
