#pragma once
// Customer-service tickets (工单, SPEC AFS-4): opened by notifications that reached nobody, and by
// staff for complaints; each has a status, an assignee and comments, and is linked to its order.
// Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/write.h"

namespace depot {

struct NewTicket {
  std::string kind = "complaint";
  std::int64_t order_id = 0;
  std::string subject;
  std::string comment;  // optional first comment
  std::string assignee;
};

struct TicketChange {
  std::optional<TicketStatus> status;
  std::optional<std::string> assignee;
};

class TicketService {
 public:
  TicketService(Store& store, Clock& clock) : store_(store), clock_(clock) {}

  Result<std::vector<Ticket>> list(const Actor& actor, const TicketQuery& query);
  Result<Ticket> find(const Actor& actor, std::int64_t id);
  void open(const Actor& actor, NewTicket ticket, Callback<Ticket> done);
  void change(const Actor& actor, std::int64_t id, TicketChange change, Callback<Ticket> done);
  void comment(const Actor& actor, std::int64_t id, std::string text, Callback<Ticket> done);

 private:
  Store& store_;
  Clock& clock_;
};

// The kind of ticket depot opens when a customer could not be told on any channel.
inline constexpr std::string_view kNotificationFailed = "notification_failed";
// The kinds of ticket staff may open by hand.
bool is_manual_ticket_kind(std::string_view kind);

}  // namespace depot
