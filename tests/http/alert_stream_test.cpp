// GET /api/v1/alerts/stream through the real server on loopback: the SSE framing on the wire
// (chunked on HTTP/1.1, up to the close on HTTP/1.0), keepalives, the per-merchant limit, a client
// that leaves giving back its place, and a server stop that ends open streams at once.
#include "http/alert_routes.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "app/access_service.h"
#include "domain/event_catalog.h"
#include "http/server.h"
#include "store/sqlite/sqlite_store.h"
#include "support/test_support.h"

namespace depot::http {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;

// A bare TCP client: what it sends is sent as written, what it receives is kept as bytes.
class RawClient {
 public:
  explicit RawClient(unsigned short port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawClient() { close(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  void send(const std::string& text) { ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // Reads until `needle` has arrived (true), or the peer closed or `timeout` passed (false).
  bool read_until(std::string_view needle, std::chrono::milliseconds timeout = 3s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (received_.find(needle) == std::string::npos) {
      if (!read_some(deadline)) return false;
    }
    return true;
  }
  // Reads until the peer closes (true) or `timeout` passes (false).
  bool read_until_closed(std::chrono::milliseconds timeout = 3s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (read_some(deadline)) {
    }
    return closed_;
  }
  const std::string& received() const { return received_; }

 private:
  bool read_some(std::chrono::steady_clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (closed_ || left <= 0ms) return false;
    pollfd waiting{fd_, POLLIN, 0};
    if (::poll(&waiting, 1, static_cast<int>(left.count())) <= 0) return false;
    char buffer[4096];
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    received_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  bool connected_ = false;
  bool closed_ = false;
  std::string received_;
};

class AlertStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store.on_events_committed(
        [this](const std::vector<TenantId>& tenants) { feed.notify(tenants); });
    feed.start();
    Result<CreatedKey> created = access.create_key("alpha", Role::viewer);
    ASSERT_OK(created);
    key = created->key;
    tenant = created->tenant_id;
    add_alert_routes(router, feed, {.keepalive_every = 300ms});
    server.start();
    runner = std::thread([this] { io.run(); });
  }
  // The writer is stopped before the feed goes: it may still be telling the feed about the last
  // commit after that commit's caller was answered.
  void TearDown() override {
    stop_server();
    store.close();
    feed.stop();
  }

  // Stops the server and waits for its thread to run out of work; answers how long that took.
  std::chrono::milliseconds stop_server() {
    auto started = std::chrono::steady_clock::now();
    server.stop();
    if (runner.joinable()) runner.join();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 started);
  }

  std::unique_ptr<RawClient> open_stream(const std::string& version = "HTTP/1.1",
                                         const std::string& extra_headers = "") {
    auto client = std::make_unique<RawClient>(server.port());
    EXPECT_TRUE(client->connected());
    client->send("GET /api/v1/alerts/stream " + version +
                 "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key + "\r\n" + extra_headers +
                 "\r\n");
    return client;
  }

  std::int64_t commit(const DomainEvent& event) {
    std::promise<Status> committed;
    auto done = committed.get_future();
    store.write(
        tenant,
        [&event](WriteTx& tx) {
          tx.append_event(event, Instant{});
          return true;
        },
        [&committed](Status status) { committed.set_value(status); });
    EXPECT_TRUE(done.get().ok());
    return store.read(tenant)->latest_event_id();
  }

  testing::TempDir dir;
  testing::FakeClock clock;
  sqlite::SqliteStore store{dir.file("depot.db")};
  AccessService access{store, clock};
  AlertFeed feed{store, {.max_subscribers_per_tenant = 2}};
  RateLimiter limiter{0, 1};
  Router router{access, limiter};
  asio::io_context io{1};
  Server server{{&io}, {asio::ip::make_address("127.0.0.1"), 0}, router, ServerOptions{}};
  std::thread runner;
  std::string key;
  TenantId tenant = 0;
};

TEST_F(AlertStreamTest, SendsAlertsAsServerSentEventsInChunks) {
  auto client = open_stream();
  ASSERT_TRUE(client->read_until(": connected\nretry: 3000\n\n")) << client->received();
  const std::string& head = client->received();
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("Content-Type: text/event-stream\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Cache-Control: no-store\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;

  commit(events::stock_received("SKU-1", 4));
  std::int64_t id = commit(events::stock_low("SKU-1", 7, 2, 5));
  std::string frame = "id: " + std::to_string(id) +
                      "\nevent: stock.low\ndata: {\"id\":" + std::to_string(id) +
                      ",\"type\":\"stock.low\"";
  ASSERT_TRUE(client->read_until(frame)) << client->received();
  EXPECT_NE(client->received().find("\"sku\":\"SKU-1\""), std::string::npos);
  EXPECT_NE(client->received().find("\"available\":2,\"threshold\":5}}\n\n"), std::string::npos)
      << client->received();
  EXPECT_EQ(client->received().find("stock.received"), std::string::npos) << "not an alert";
  EXPECT_TRUE(client->read_until(": keepalive\n\n", 2s)) << client->received();
}

TEST_F(AlertStreamTest, ResumesAfterLastEventId) {
  std::int64_t seen = commit(events::stock_low("OLD", 1, 1, 5));
  std::int64_t missed = commit(events::stock_low("MISSED", 2, 1, 5));
  auto client = open_stream("HTTP/1.1", "Last-Event-ID: " + std::to_string(seen) + "\r\n");
  ASSERT_TRUE(client->read_until("id: " + std::to_string(missed) + "\n")) << client->received();
  EXPECT_EQ(client->received().find("\"OLD\""), std::string::npos);

  auto refused = open_stream("HTTP/1.1", "Last-Event-ID: yesterday\r\nConnection: close\r\n");
  ASSERT_TRUE(refused->read_until_closed()) << refused->received();
  EXPECT_EQ(refused->received().rfind("HTTP/1.1 422", 0), 0u) << refused->received();
  EXPECT_NE(refused->received().find("Last-Event-ID"), std::string::npos);
}

TEST_F(AlertStreamTest, RefusesStreamsOverTheMerchantsLimitUntilOneCloses) {
  auto first = open_stream();
  auto second = open_stream();
  ASSERT_TRUE(first->read_until(": connected"));
  ASSERT_TRUE(second->read_until(": connected"));
  auto third = open_stream("HTTP/1.1", "Connection: close\r\n");
  ASSERT_TRUE(third->read_until_closed()) << third->received();
  EXPECT_EQ(third->received().rfind("HTTP/1.1 429", 0), 0u) << third->received();
  EXPECT_NE(third->received().find("application/problem+json"), std::string::npos);
  EXPECT_NE(third->received().find("alert streams"), std::string::npos) << third->received();

  first->close();  // the server sees it leave and lets go of its subscription
  bool admitted = false;
  for (int attempt = 0; attempt < 40 && !admitted; ++attempt) {
    auto again = open_stream();
    admitted = again->read_until(": connected", 1s);
    if (!admitted) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(admitted);
}

TEST_F(AlertStreamTest, StopEndsOpenStreamsAtOnce) {
  auto chunked = open_stream();
  auto plain = open_stream("HTTP/1.0");
  ASSERT_TRUE(chunked->read_until(": connected"));
  ASSERT_TRUE(plain->read_until(": connected"));
  EXPECT_EQ(plain->received().find("Transfer-Encoding"), std::string::npos) << plain->received();

  EXPECT_LT(stop_server(), 2s);
  EXPECT_TRUE(chunked->read_until_closed());
  EXPECT_TRUE(plain->read_until_closed());
  std::string tail = chunked->received().substr(chunked->received().size() - 5);
  EXPECT_EQ(tail, "0\r\n\r\n") << "the chunked body ends properly";
}

TEST_F(AlertStreamTest, FeedStopEndsTheStreams) {
  auto client = open_stream();
  ASSERT_TRUE(client->read_until(": connected"));
  feed.stop();
  EXPECT_TRUE(client->read_until_closed());
  EXPECT_TRUE(client->received().ends_with("0\r\n\r\n"));
}

}  // namespace
}  // namespace depot::http
