#include "app/ticket_service.h"

#include "app/audit.h"
#include "app/order_writes.h"
#include "app/paging.h"
#include "app/platform_writeback.h"
#include "domain/event_catalog.h"

namespace depot {

namespace {

Error ticket_not_found(std::int64_t id) {
  return error(ErrorCode::not_found, "ticket " + std::to_string(id) + " was not found");
}

Status check_text(std::string_view field, const std::string& text, std::size_t max_bytes) {
  if (text.empty()) return invalid_field(std::string(field), "must not be empty");
  if (text.size() > max_bytes) {
    return invalid_field(std::string(field),
                         "must be at most " + std::to_string(max_bytes) + " bytes");
  }
  return {};
}

}  // namespace

bool is_manual_ticket_kind(std::string_view kind) {
  return kind == "complaint" || kind == "inquiry" || kind == "held_order";
}

Result<std::vector<Ticket>> TicketService::list(const Actor& actor, const TicketQuery& query) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  if (Status size = check_page_size(query.limit); !size.ok()) return size.error();
  if (!query.kind.empty() && query.kind != kNotificationFailed && query.kind != kWritebackFailed &&
      !is_manual_ticket_kind(query.kind)) {
    return invalid_field(
        "kind", "must be notification_failed, writeback_failed, complaint, inquiry or held_order");
  }
  return store_.read(actor.tenant_id)->list_tickets(query);
}

Result<Ticket> TicketService::find(const Actor& actor, std::int64_t id) {
  if (Status allowed = require(actor, Permission::read); !allowed.ok()) return allowed.error();
  std::optional<Ticket> found = store_.read(actor.tenant_id)->find_ticket(id);
  if (!found) return ticket_not_found(id);
  return *found;
}

void TicketService::open(const Actor& actor, NewTicket input, Callback<Ticket> done) {
  if (Status allowed = require(actor, Permission::change_orders); !allowed.ok()) {
    done(allowed.error());
    return;
  }
  if (!is_manual_ticket_kind(input.kind)) {
    done(invalid_field("kind", "must be complaint, inquiry or held_order"));
    return;
  }
  if (Status subject = check_text("subject", input.subject, 500); !subject.ok()) {
    done(subject.error());
    return;
  }
  if (input.comment.size() > 4000 || input.assignee.size() > 100) {
    done(invalid_field(input.comment.size() > 4000 ? "comment" : "assignee", "is too long"));
    return;
  }
  Instant now = clock_.now();
  std::string author = actor.name;
  run_write<Ticket>(
      store_, actor.tenant_id,
      [input = std::move(input), now, author](WriteTx& tx) -> Result<Ticket> {
        std::optional<Order> order = tx.find_order(input.order_id);
        if (!order) return invalid_field("order_id", "no such order");
        Ticket ticket;
        ticket.kind = input.kind;
        ticket.order_id = order->id;
        ticket.subject = input.subject;
        ticket.assignee = input.assignee;
        ticket.created_by = author;
        ticket.created_at = now;
        ticket.updated_at = now;
        tx.insert_ticket(ticket);
        if (!input.comment.empty()) {
          tx.add_ticket_comment(ticket.id, {0, author, input.comment, now});
        }
        tx.append_event(events::ticket_opened(*order, ticket.id, ticket.kind, ticket.subject), now);
        std::vector<FieldChange> changes{{"kind", "", ticket.kind},
                                         {"order_id", "", std::to_string(ticket.order_id)},
                                         {"subject", "", ticket.subject}};
        add_change(changes, "assignee", "", ticket.assignee);
        add_change(changes, "comment", "", input.comment);
        record_audit(tx, author, "ticket.open", audit_object("ticket", ticket.id),
                     std::move(changes), now);
        return *tx.find_ticket(ticket.id);
      },
      std::move(done));
}

void TicketService::change(const Actor& actor, std::int64_t id, TicketChange change,
                           Callback<Ticket> done) {
  if (Status allowed = require(actor, Permission::change_orders); !allowed.ok()) {
    done(allowed.error());
    return;
  }
  if (change.assignee && change.assignee->size() > 100) {
    done(invalid_field("assignee", "must be at most 100 bytes"));
    return;
  }
  Instant now = clock_.now();
  run_write<Ticket>(
      store_, actor.tenant_id,
      [actor, id, change = std::move(change), now](WriteTx& tx) -> Result<Ticket> {
        std::optional<Ticket> ticket = tx.find_ticket(id);
        if (!ticket) return ticket_not_found(id);
        Ticket before = *ticket;
        if (change.status) ticket->status = *change.status;
        if (change.assignee) ticket->assignee = *change.assignee;
        ticket->updated_at = now;
        tx.update_ticket(*ticket);
        std::vector<FieldChange> changes;
        add_change(changes, "status", std::string(to_string(before.status)),
                   std::string(to_string(ticket->status)));
        add_change(changes, "assignee", before.assignee, ticket->assignee);
        record_audit(tx, actor.name, "ticket.update", audit_object("ticket", id),
                     std::move(changes), now);
        return *tx.find_ticket(id);
      },
      std::move(done));
}

void TicketService::comment(const Actor& actor, std::int64_t id, std::string text,
                            Callback<Ticket> done) {
  if (Status allowed = require(actor, Permission::change_orders); !allowed.ok()) {
    done(allowed.error());
    return;
  }
  if (Status valid = check_text("text", text, 4000); !valid.ok()) {
    done(valid.error());
    return;
  }
  Instant now = clock_.now();
  std::string author = actor.name;
  run_write<Ticket>(
      store_, actor.tenant_id,
      [id, text = std::move(text), now, author](WriteTx& tx) -> Result<Ticket> {
        std::optional<Ticket> ticket = tx.find_ticket(id);
        if (!ticket) return ticket_not_found(id);
        tx.add_ticket_comment(id, {0, author, text, now});
        ticket->updated_at = now;
        tx.update_ticket(*ticket);
        record_audit(tx, author, "ticket.comment", audit_object("ticket", id),
                     {{"comment", "", text}}, now);
        return *tx.find_ticket(id);
      },
      std::move(done));
}

}  // namespace depot
