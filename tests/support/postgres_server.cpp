#include "support/postgres_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

namespace depot::testing {

namespace {

std::string program_directory() {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read as a suite starts, before it starts threads.
  const char* configured = std::getenv("DEPOT_PG_BINDIR");
  return configured && *configured ? configured : "/usr/lib/postgresql/15/bin";
}

// initdb refuses to run as root, so as root the server's programs run as `nobody`.
std::optional<PostgresServer::Account> account_to_run_as() {
  if (geteuid() != 0) return std::nullopt;
  passwd entry{};
  passwd* found = nullptr;
  std::array<char, 4096> strings{};
  if (getpwnam_r("nobody", &entry, strings.data(), strings.size(), &found) != 0 || !found) {
    throw std::runtime_error("no user `nobody` to run PostgreSQL as (initdb refuses root)");
  }
  return PostgresServer::Account{entry.pw_uid, entry.pw_gid};
}

// A port nothing listens on now: the one the kernel picks for port 0, released for the server.
int free_port() {
  int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  bool found = socket_fd >= 0 &&
               bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
               getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  int error = errno;
  if (socket_fd >= 0) close(socket_fd);
  if (!found) throw std::system_error(error, std::generic_category(), "no free port");
  return ntohs(address.sin_port);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// In the forked child, which may only make async-signal-safe calls: becomes `nobody` if asked,
// sends its output to `log` and runs the program. Exit status 126 says the setup failed, 127 that
// the program could not be run.
[[noreturn]] void exec_child(char* const argv[], const char* directory, const char* log,
                             const PostgresServer::Account* account) {
  bool dropped = !account || (setgroups(0, nullptr) == 0 && setgid(account->gid) == 0 &&
                              setuid(account->uid) == 0);
  // Opened as that user, so that the server, which pg_ctl points at the same log, can append.
  int log_fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (!dropped || chdir(directory) != 0 || log_fd < 0 || dup2(log_fd, STDOUT_FILENO) < 0 ||
      dup2(log_fd, STDERR_FILENO) < 0) {
    _exit(126);
  }
  execv(argv[0], argv);
  _exit(127);
}

}  // namespace

PostgresServer::Directory::Directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "depot-pg-XXXXXX").string();
  if (!mkdtemp(pattern.data())) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  }
  path = pattern;
}

PostgresServer::Directory::~Directory() {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

PostgresServer::PostgresServer() : bindir_(program_directory()), account_(account_to_run_as()) {
  if (account_ && chown(directory_.path.c_str(), account_->uid, account_->gid) != 0) {
    throw std::system_error(errno, std::generic_category(), "chown " + directory_.path);
  }
  std::string data = directory_.path + "/data";
  run_or_throw("initdb", {"-D", data, "-U", "depot", "--auth=trust", "--no-locale", "-E", "UTF8"});
  port_ = free_port();
  // The socket directory is ours too: the default, /var/run/postgresql, is the system server's.
  std::string options = "-p " + std::to_string(port_) + " -k " + directory_.path +
                        " -c listen_addresses=127.0.0.1 -c fsync=on";
  // The server appends to pg_ctl's own log, so a failure to start shows both.
  run_or_throw("pg_ctl", {"-D", data, "-l", log_of("pg_ctl"), "-w", "-o", options, "start"});
}

PostgresServer::~PostgresServer() {
  // Nothing the server holds outlives the test, so it need not shut down cleanly.
  run("pg_ctl", {"-D", directory_.path + "/data", "-m", "immediate", "stop"});
}

std::string PostgresServer::create_database(const std::string& name) {
  std::string port = std::to_string(port_);
  run_or_throw("createdb", {"-h", "127.0.0.1", "-p", port, "-U", "depot", name});
  return "postgresql://depot@127.0.0.1:" + port + "/" + name;
}

std::string PostgresServer::log_of(const std::string& program) const {
  return directory_.path + "/" + program + ".log";
}

int PostgresServer::run(const std::string& program,
                        const std::vector<std::string>& arguments) const {
  // Everything the child needs is made before fork: after it, the child may not allocate.
  std::string path = bindir_ + "/" + program;
  std::string log = log_of(program);
  std::vector<char*> argv{path.data()};
  for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  pid_t child = fork();
  if (child == 0) {
    exec_child(argv.data(), directory_.path.c_str(), log.c_str(), account_ ? &*account_ : nullptr);
  }
  int status = 0;
  while (child > 0 && waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return child > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void PostgresServer::run_or_throw(const std::string& program,
                                  const std::vector<std::string>& arguments) const {
  int status = run(program, arguments);
  if (status == 0) return;
  std::string hint = status == 127 ? " (DEPOT_PG_BINDIR names PostgreSQL 15's programs)" : "";
  throw std::runtime_error(bindir_ + "/" + program + " exited with status " +
                           std::to_string(status) + hint + "; its output:\n" +
                           read_file(log_of(program)));
}

}  // namespace depot::testing
