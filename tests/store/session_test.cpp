// Console logins on the SQLite store: passwords, sessions that expire and end, the users' use
// cases ending sessions, revoked keys, and the login throttle.
#include <gtest/gtest.h>

#include "app/access_service.h"
#include "app/login_throttle.h"
#include "app/passwords.h"
#include "app/session_service.h"
#include "app/user_service.h"
#include "support/test_stores.h"
#include "support/test_support.h"

namespace depot {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;
using testing::TempDir;

TEST(Passwords, HashWithOwnSaltAndVerify) {
  std::string first = hash_password("correct horse");
  std::string second = hash_password("correct horse");
  EXPECT_TRUE(first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
  EXPECT_NE(first, second);
  EXPECT_TRUE(verify_password(first, "correct horse"));
  EXPECT_TRUE(verify_password(second, "correct horse"));
  EXPECT_FALSE(verify_password(first, "correct horsf"));
  EXPECT_FALSE(verify_password("$2b$10$notargon", "correct horse"));
  EXPECT_FALSE(verify_password("", ""));
}

TEST(Passwords, Rule) {
  EXPECT_TRUE(check_password_rule("12345678").ok());
  EXPECT_FALSE(check_password_rule("1234567").ok());
  EXPECT_FALSE(check_password_rule("        ").ok());
  EXPECT_FALSE(check_password_rule(std::string(257, 'x')).ok());
  EXPECT_EQ(check_password_rule("x", "new_password").error().fields.at(0).field, "new_password");
}

TEST(LoginThrottle, WaitsDoubleAfterTheFreeFailuresAndForget) {
  LoginThrottle throttle({.free_failures_per_email = 3,
                          .free_failures_per_address = 100,
                          .first_wait = 1s,
                          .max_wait = 8s,
                          .forget_after = 60s});
  Instant t{std::chrono::seconds{1000}};
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(throttle.wait_before("a@x.test", "10.0.0.1", t));
    throttle.failed("a@x.test", "10.0.0.1", t);
  }
  EXPECT_EQ(throttle.wait_before("a@x.test", "10.0.0.1", t), 1s);
  EXPECT_FALSE(throttle.wait_before("a@x.test", "10.0.0.1", t + 1s));
  EXPECT_FALSE(throttle.wait_before("b@x.test", "10.0.0.1", t));  // another email
  throttle.failed("a@x.test", "10.0.0.1", t + 1s);
  EXPECT_EQ(throttle.wait_before("a@x.test", "10.0.0.2", t + 1s), 2s);
  for (int i = 0; i < 10; ++i) throttle.failed("a@x.test", "10.0.0.1", t + 2s);
  EXPECT_EQ(throttle.wait_before("a@x.test", "10.0.0.1", t + 2s), 8s);       // the cap
  EXPECT_FALSE(throttle.wait_before("a@x.test", "10.0.0.1", t + 2s + 60s));  // forgotten
  for (int i = 0; i < 4; ++i) throttle.failed("c@x.test", "10.0.0.3", t);
  throttle.succeeded("c@x.test");
  EXPECT_FALSE(throttle.wait_before("c@x.test", "10.0.0.3", t));
}

TEST(LoginThrottle, ManyFailuresFromOneAddressSlowEveryEmailThere) {
  LoginThrottle throttle({.free_failures_per_email = 100, .free_failures_per_address = 4});
  Instant t{std::chrono::seconds{1000}};
  for (int i = 0; i < 4; ++i) {
    throttle.failed("user" + std::to_string(i) + "@x.test", "203.0.113.9", t);
  }
  EXPECT_TRUE(throttle.wait_before("fresh@x.test", "203.0.113.9", t));
  EXPECT_FALSE(throttle.wait_before("fresh@x.test", "198.51.100.1", t));
}

class SessionTest : public ::testing::TestWithParam<testing::StoreKind> {
 protected:
  TempDir dir;
  FakeClock clock;
  testing::StoreLocation location{GetParam(), dir};
  std::unique_ptr<cli::OpenStore> opened = location.open();
  Store& store = opened->store();
  AccessService access{store, clock};
  UserService users{store, clock};
  SessionService sessions{store, clock, {1h, {}}};

  UserRecord user(const std::string& email, const std::string& role) {
    Result<UserRecord> created = users.create_for_merchant("shop", {email, role, "secret pass"});
    EXPECT_TRUE(created.ok()) << created.error().message;
    return *created;
  }
};

TEST_P(SessionTest, LogInGivesASessionThatExpires) {
  UserRecord owner = user("Owner@Shop.test", "owner");
  EXPECT_EQ(owner.email, "owner@shop.test");
  Result<NewSession> created = sessions.log_in("owner@shop.test ", "secret pass", "127.0.0.1");
  ASSERT_TRUE(created.ok()) << created.error().message;
  Result<LiveSession> live = access.authenticate_session(created->token);
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live->actor.name, "user:" + std::to_string(owner.id));
  EXPECT_EQ(live->actor.role, Role::owner);
  EXPECT_EQ(live->csrf_token, created->session.csrf_token);
  EXPECT_EQ(live->tenant_slug, "shop");

  clock.advance(59min);
  EXPECT_TRUE(access.authenticate_session(created->token).ok());
  clock.advance(2min);
  Result<LiveSession> expired = access.authenticate_session(created->token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code, ErrorCode::unauthenticated);
}

TEST_P(SessionTest, WrongPasswordUnknownEmailAndLogOut) {
  user("staff@shop.test", "operator");
  EXPECT_EQ(sessions.log_in("staff@shop.test", "wrong pass", "127.0.0.1").error().code,
            ErrorCode::unauthenticated);
  EXPECT_EQ(sessions.log_in("nobody@shop.test", "secret pass", "127.0.0.1").error().code,
            ErrorCode::unauthenticated);
  Result<NewSession> created = sessions.log_in("staff@shop.test", "secret pass", "127.0.0.1");
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(sessions.log_out(created->token).ok());
  EXPECT_FALSE(access.authenticate_session(created->token).ok());
  EXPECT_TRUE(sessions.log_out(created->token).ok());  // already out
  EXPECT_FALSE(access.authenticate_session("").ok());
}

TEST_P(SessionTest, ChangingOrRemovingAUserEndsTheirSessions) {
  UserRecord owner = user("owner@shop.test", "owner");
  UserRecord staff = user("staff@shop.test", "operator");
  Actor owner_actor{1, "user:" + std::to_string(owner.id), Role::owner};
  owner_actor.tenant_id = *store.find_tenant("shop");
  Result<NewSession> session = sessions.log_in("staff@shop.test", "secret pass", "127.0.0.1");
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(users.change(owner_actor, staff.id, {"viewer", std::nullopt}).ok());
  EXPECT_FALSE(access.authenticate_session(session->token).ok());
  Result<NewSession> again = sessions.log_in("staff@shop.test", "secret pass", "127.0.0.1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->session.actor.role, Role::viewer);
  ASSERT_TRUE(users.remove(owner_actor, staff.id).ok());
  EXPECT_FALSE(access.authenticate_session(again->token).ok());
  EXPECT_EQ(users.remove(owner_actor, owner.id).error().code, ErrorCode::conflict);
  Actor operator_actor = owner_actor;
  operator_actor.role = Role::operator_;
  EXPECT_EQ(users.list(operator_actor).error().code, ErrorCode::forbidden);
}

TEST_P(SessionTest, ARevokedKeyIsRefusedAtOnce) {
  Result<CreatedKey> created = access.create_key("shop", Role::owner);
  ASSERT_TRUE(created.ok());
  Result<Actor> actor = access.authenticate(created->key);  // now cached
  ASSERT_TRUE(actor.ok());
  Result<CreatedKey> second = access.create_key(*actor, "viewer");
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(access.authenticate(second->key).ok());
  ASSERT_TRUE(access.revoke_key(*actor, second->info.id).ok());
  EXPECT_FALSE(access.authenticate(second->key).ok());
  EXPECT_TRUE(access.authenticate(created->key).ok());
  Result<std::vector<ApiKeyInfo>> keys = access.list_keys(*actor);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ(keys->front().id, created->info.id);
}

INSTANTIATE_TEST_SUITE_P(Stores, SessionTest,
                         ::testing::Values(testing::StoreKind::sqlite,
                                           testing::StoreKind::postgres),
                         testing::store_kind_name);

}  // namespace
}  // namespace depot
