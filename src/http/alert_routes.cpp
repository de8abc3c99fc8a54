#include "http/alert_routes.h"

#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>

#include <charconv>
#include <memory>
#include <optional>
#include <string>

#include "http/json_output.h"
#include "http/problem.h"

namespace depot::http {

namespace asio = boost::asio;

namespace {

// What a client is told first: it is connected, and to wait 3 s before reconnecting.
constexpr std::string_view kGreeting = ": connected\nretry: 3000\n\n";
constexpr std::string_view kKeepalive = ": keepalive\n\n";

// One SSE event. Serialized JSON holds no raw line break, so the data fits on one line.
std::string sse_event(const EventRecord& record) {
  std::string frame = "id: " + std::to_string(record.id) + "\nevent: ";
  frame += to_string(record.event.type);
  frame += "\ndata: ";
  frame += boost::json::serialize(to_json(record));
  frame += "\n\n";
  return frame;
}

// The id the client saw last (Last-Event-ID), nothing when it names none.
Result<std::optional<std::int64_t>> last_event_id(const Request& request) {
  std::string text = request.header("last-event-id");
  if (text.empty()) return std::optional<std::int64_t>();
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id < 0) {
    return invalid_field("Last-Event-ID",
                         "must be the id of an event this stream sent (a non-negative integer)");
  }
  return std::optional<std::int64_t>(id);
}

}  // namespace

void add_alert_routes(Router& router, AlertFeed& feed, AlertStreamOptions options) {
  router.add(
      Method::get, "/api/v1/alerts/stream", Permission::read,
      [&feed, options](Request& req) -> asio::awaitable<Response> {
        Result<std::optional<std::int64_t>> after = last_event_id(req);
        if (!after.ok()) co_return problem(after.error());
        auto stream =
            std::make_shared<ResponseStream>(std::string(kKeepalive), options.keepalive_every);
        stream->push(std::string(kGreeting));
        // The subscription lives as long as the stream; the stream lets go of it when it
        // ends, which also ends the feed's hold on the stream.
        Result<AlertFeed::Subscription> subscription = feed.subscribe(
            req.actor.tenant_id, *after,
            [stream](const EventRecord& record) { stream->push(sse_event(record)); },
            [stream] { stream->close(); });
        if (!subscription.ok()) co_return problem(subscription.error());
        stream->hold(std::make_shared<AlertFeed::Subscription>(std::move(subscription).value()));
        Response response{200,
                          "text/event-stream",
                          "",
                          {{"Cache-Control", "no-store"}, {"X-Accel-Buffering", "no"}}};
        response.stream = std::move(stream);
        co_return response;
      });
}

}  // namespace depot::http
