#pragma once
// A real PostgreSQL 15 server for tests, in a temporary directory, listening on 127.0.0.1 and a
// free port only, trusting the user `depot` without a password. It is initialised and started
// when constructed (a few seconds) and stopped and removed when destroyed, so a suite starts one
// and creates a database per need. The binaries come from $DEPOT_PG_BINDIR, or else Debian's
// postgresql-15 package. initdb refuses to run as root, so as root the server runs as `nobody`.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace depot::testing {

class PostgresServer {
 public:
  // Who runs the server's programs when we are root (`nobody`): initdb refuses root.
  struct Account {
    uid_t uid;
    gid_t gid;
  };

  // Throws std::runtime_error with the tools' output when the server does not start.
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Creates database `name` (letters, digits and `_`) and answers its URI for libpq.
  std::string create_database(const std::string& name);
  int port() const { return port_; }

 private:
  // The temporary directory: made first and removed last, also when the constructor throws.
  class Directory {
   public:
    Directory();
    ~Directory();
    Directory(const Directory&) = delete;
    Directory& operator=(const Directory&) = delete;
    std::string path;
  };

  std::string log_of(const std::string& program) const;
  // Runs one of the server's programs, as `account_` if there is one, its output going to its
  // log in the directory; answers its exit status, or -1 if it did not exit.
  int run(const std::string& program, const std::vector<std::string>& arguments) const;
  // As run, but throws with the program's output when it fails.
  void run_or_throw(const std::string& program, const std::vector<std::string>& arguments) const;

  std::string bindir_;
  std::optional<Account> account_;
  Directory directory_;
  int port_ = 0;
};

}  // namespace depot::testing
