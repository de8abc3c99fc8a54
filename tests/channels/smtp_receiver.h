#pragma once
// A real SMTP server for the email channel's tests: tests/channels/smtp_receiver.py (aiosmtpd)
// run by Debian's /usr/bin/python3 as a child process on 127.0.0.1 and a free port. Each message
// it accepts is read back as a ReceivedMail, with the headers and parts as Python's email parser
// decodes them. The child is stopped (SIGTERM, then waited for) when the receiver goes; should the
// test die first, the closed stdin pipe stops it.
//
// Thread safety: one test thread; mails() may be called while the server runs.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.h"

extern char** environ;

namespace depot::testing {

struct SmtpReceiverOptions {
  std::string auth;      // "user:password": AUTH required
  std::string tls_cert;  // PEM files: STARTTLS offered and required
  std::string tls_key;
  std::vector<std::string> refuse;  // RCPT TO these addresses answers 550
  bool defer = false;               // the end of DATA answers 451
  bool stall = false;               // the end of DATA is never answered
};

struct MailPart {
  std::string content_type;
  std::string charset;
  std::string transfer_encoding;
  std::string body;
};

struct ReceivedMail {
  std::string mail_from;
  std::vector<std::string> rcpt_tos;
  bool tls = false;
  std::string auth_login;  // empty without AUTH
  std::string raw;
  // As Python's email parser (policy=default) reads the message.
  std::string subject;
  std::string from;
  std::string to;
  std::string message_id;
  std::string mime_version;
  std::string x_depot_event;
  bool date_valid = false;
  std::string content_type;
  std::vector<MailPart> parts;
  std::vector<std::string> defects;
};

class SmtpReceiver {
 public:
  explicit SmtpReceiver(SmtpReceiverOptions options = {}) {
    std::string script =
        (std::filesystem::path(__FILE__).parent_path() / "smtp_receiver.py").string();
    std::vector<std::string> args = {"/usr/bin/python3", "-I", script, directory_.path()};
    if (!options.auth.empty()) args.insert(args.end(), {"--auth", options.auth});
    if (!options.tls_cert.empty()) {
      args.insert(args.end(), {"--starttls", options.tls_cert, options.tls_key});
    }
    for (const std::string& address : options.refuse) {
      args.insert(args.end(), {"--refuse", address});
    }
    if (options.defer) args.emplace_back("--defer");
    if (options.stall) args.emplace_back("--stall");
    start(args);
  }
  ~SmtpReceiver() {
    if (stdin_ >= 0) close(stdin_);
    if (stdout_ >= 0) close(stdout_);
    if (pid_ > 0) stop();
  }
  SmtpReceiver(const SmtpReceiver&) = delete;
  SmtpReceiver& operator=(const SmtpReceiver&) = delete;

  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  // The messages accepted so far, in the order they came.
  std::vector<ReceivedMail> mails() const {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(directory_.path())) {
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<ReceivedMail> mails;
    for (const auto& file : files) mails.push_back(read_mail(file));
    return mails;
  }

 private:
  // SIGTERM, and SIGKILL for a server that has not gone within a few seconds.
  void stop() {
    kill(pid_, SIGTERM);
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  void start(const std::vector<std::string>& args) {
    int in[2];
    int out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    std::vector<char*> argv;
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    if (spawned != 0) {
      pid_ = -1;
      throw std::runtime_error("cannot start /usr/bin/python3 (python3-aiosmtpd is needed)");
    }
    port_ = read_port();
  }

  // The first line the server prints is its port; it has not started without one in time.
  int read_port() {
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (line.find('\n') == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd ready{stdout_, POLLIN, 0};
      if (left.count() <= 0 || poll(&ready, 1, static_cast<int>(left.count())) <= 0) {
        throw std::runtime_error("the SMTP receiver did not start in time");
      }
      char buffer[64];
      ssize_t got = read(stdout_, buffer, sizeof buffer);
      if (got <= 0) throw std::runtime_error("the SMTP receiver exited before it listened");
      line.append(buffer, static_cast<std::size_t>(got));
    }
    return std::stoi(line);
  }

  static std::string text(const boost::json::object& object, const char* name) {
    const boost::json::value* value = object.if_contains(name);
    return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
  }

  static ReceivedMail read_mail(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    boost::json::object record = boost::json::parse(body).as_object();
    ReceivedMail mail;
    mail.mail_from = text(record, "mail_from");
    for (const auto& to : record.at("rcpt_tos").as_array()) {
      mail.rcpt_tos.emplace_back(to.as_string());
    }
    mail.tls = record.at("tls").as_bool();
    mail.auth_login = text(record, "auth_login");
    mail.raw = text(record, "raw");
    mail.subject = text(record, "subject");
    mail.from = text(record, "from");
    mail.to = text(record, "to");
    mail.message_id = text(record, "message_id");
    mail.mime_version = text(record, "mime_version");
    mail.x_depot_event = text(record, "x_depot_event");
    mail.date_valid = record.at("date_valid").as_bool();
    mail.content_type = text(record, "content_type");
    for (const auto& part : record.at("parts").as_array()) {
      const auto& fields = part.as_object();
      mail.parts.push_back({text(fields, "content_type"), text(fields, "charset"),
                            text(fields, "transfer_encoding"), text(fields, "body")});
    }
    for (const auto& defect : record.at("defects").as_array()) {
      mail.defects.emplace_back(defect.as_string());
    }
    return mail;
  }

  TempDir directory_;
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  int port_ = 0;
};

}  // namespace depot::testing
