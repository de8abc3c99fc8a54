#pragma once
// Console logins (SPEC SEC-2): an email and password give a session, named by a random token the
// browser keeps in an HttpOnly cookie, that ends when it expires or the user logs out. Each
// session has its own CSRF token, which the console sends back with every write. Failed logins
// are slowed per email and per client address (app/login_throttle.h); an unknown email costs as
// much time as a wrong password, so timing does not tell which emails exist.
//
// log_in and log_out block (password hashing by design, and the write's commit): run them on a
// pool, never on a request thread. find_live_session is one indexed read. Thread-safe.

#include <chrono>
#include <optional>
#include <string>

#include "app/actor.h"
#include "app/login_throttle.h"

namespace depot {

struct SessionOptions {
  std::chrono::seconds lifetime{12 * 3600};
  LoginThrottleOptions throttle;
};

// A live session, as a request sees it.
struct LiveSession {
  Actor actor;  // named "user:<id>"
  std::string tenant_slug;
  std::int64_t user_id = 0;
  std::string email;
  std::string csrf_token;
  Instant expires_at;
};

struct NewSession {
  std::string token;  // for the cookie; shown once, stored only as its SHA-256
  LiveSession session;
};

// The session `token` names if it exists and has not expired; unauthenticated otherwise.
Result<LiveSession> find_live_session(Store& store, Clock& clock, const std::string& token);

class SessionService {
 public:
  SessionService(Store& store, Clock& clock, SessionOptions options = {});

  // unauthenticated for a wrong email or password; rate_limited while this email or address must
  // wait (wait_before says how long).
  Result<NewSession> log_in(const std::string& email, const std::string& password,
                            const std::string& client_address);
  std::optional<std::chrono::seconds> wait_before(const std::string& email,
                                                  const std::string& client_address);
  // Ends the session; a token that names none is already logged out.
  Status log_out(const std::string& token);

 private:
  Store& store_;
  Clock& clock_;
  SessionOptions options_;
  LoginThrottle throttle_;
  std::string decoy_hash_;  // verified against when the email is unknown
};

}  // namespace depot
