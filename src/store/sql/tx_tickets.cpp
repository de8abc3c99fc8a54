// Customer-service tickets with their comments, and the sandbox inbox.
#include "store/sql/sql_tx.h"

namespace depot::sql {

namespace {

constexpr const char* kTicketColumns =
    "SELECT id, kind, status, order_id, event_id, notification_id, subject, assignee, "
    "created_by, created_at, updated_at FROM tickets ";

Ticket ticket_from(const Query& q) {
  Ticket t;
  t.id = q.integer(0);
  t.kind = q.text(1);
  t.status = parse_ticket_status(q.text(2)).value_or(TicketStatus::open);
  t.order_id = q.integer(3);
  t.event_id = q.integer(4);
  t.notification_id = q.integer(5);
  t.subject = q.text(6);
  t.assignee = q.text(7);
  t.created_by = q.text(8);
  t.created_at = from_millis(q.integer(9));
  t.updated_at = from_millis(q.integer(10));
  return t;
}

}  // namespace

std::vector<Ticket> SqlTx::list_tickets(const TicketQuery& query) {
  std::string sql = std::string(kTicketColumns) + "WHERE tenant_id = ?";
  if (query.order_id != 0) sql += " AND order_id = ?";
  if (query.status) sql += " AND status = ?";
  if (!query.kind.empty()) sql += " AND kind = ?";
  if (query.before_id != 0) sql += " AND id < ?";
  sql += " ORDER BY id DESC LIMIT ?";
  Query q = db_.query(sql);
  int index = 1;
  q.bind(index++, tenant_);
  if (query.order_id != 0) q.bind(index++, query.order_id);
  if (query.status) q.bind(index++, to_string(*query.status));
  if (!query.kind.empty()) q.bind(index++, query.kind);
  if (query.before_id != 0) q.bind(index++, query.before_id);
  q.bind(index, query.limit);
  std::vector<Ticket> tickets;
  while (q.step()) tickets.push_back(ticket_from(q));
  return tickets;
}

std::optional<Ticket> SqlTx::find_ticket(std::int64_t id) {
  Query q = db_.query(std::string(kTicketColumns) + "WHERE tenant_id = ? AND id = ?");
  q.bind_all(tenant_, id);
  if (!q.step()) return std::nullopt;
  Ticket ticket = ticket_from(q);
  Query comments = db_.query(
      "SELECT id, author, text, at FROM ticket_comments WHERE tenant_id = ? AND ticket_id = ? "
      "ORDER BY id");
  comments.bind_all(tenant_, id);
  while (comments.step()) {
    ticket.comments.push_back({comments.integer(0), comments.text(1), comments.text(2),
                               from_millis(comments.integer(3))});
  }
  return ticket;
}

bool SqlTx::insert_ticket(Ticket& t) {
  std::int64_t id = next_id("tickets");
  db_.query(
         "INSERT INTO tickets (tenant_id, id, kind, status, order_id, event_id, notification_id, "
         "subject, assignee, created_by, created_at, updated_at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
      .bind_all(tenant_, id, t.kind, to_string(t.status), t.order_id, t.event_id, t.notification_id,
                t.subject, t.assignee, t.created_by, to_millis(t.created_at),
                to_millis(t.updated_at))
      .run();
  if (db_.changes() == 0) return false;
  t.id = id;
  if (t.kind == "complaint") {
    roll_up(after_sales_rollups(AfterSalesFact::complaint, t.created_at, utc_offset()));
  }
  return true;
}

void SqlTx::update_ticket(const Ticket& t) {
  db_.query(
         "UPDATE tickets SET status = ?, assignee = ?, subject = ?, updated_at = ? "
         "WHERE tenant_id = ? AND id = ?")
      .bind_all(to_string(t.status), t.assignee, t.subject, to_millis(t.updated_at), tenant_, t.id)
      .run();
}

std::int64_t SqlTx::add_ticket_comment(std::int64_t ticket_id, const TicketComment& c) {
  std::int64_t id = next_id("ticket_comments");
  db_.query(
         "INSERT INTO ticket_comments (tenant_id, ticket_id, id, author, text, at) "
         "VALUES (?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, ticket_id, id, c.author, c.text, to_millis(c.at))
      .run();
  return id;
}

std::vector<SandboxMessage> SqlTx::sandbox_messages(std::int64_t order_id, std::int64_t before_id,
                                                    int limit) {
  std::string sql =
      "SELECT id, notification_id, order_id, channel, recipient, subject, body, html, "
      "created_at FROM sandbox_messages WHERE tenant_id = ?";
  if (order_id != 0) sql += " AND order_id = ?";
  if (before_id != 0) sql += " AND id < ?";
  sql += " ORDER BY id DESC LIMIT ?";
  Query q = db_.query(sql);
  int index = 1;
  q.bind(index++, tenant_);
  if (order_id != 0) q.bind(index++, order_id);
  if (before_id != 0) q.bind(index++, before_id);
  q.bind(index, limit);
  std::vector<SandboxMessage> messages;
  while (q.step()) {
    SandboxMessage m;
    m.id = q.integer(0);
    m.notification_id = q.integer(1);
    m.order_id = q.integer(2);
    m.channel = parse_channel_kind(q.text(3)).value_or(ChannelKind::sms);
    m.recipient = q.text(4);
    m.subject = q.text(5);
    m.body = q.text(6);
    m.html = q.text(7);
    m.created_at = from_millis(q.integer(8));
    messages.push_back(std::move(m));
  }
  return messages;
}

void SqlTx::insert_sandbox_message(SandboxMessage& m) {
  m.id = next_id("sandbox_messages");
  db_.query(
         "INSERT INTO sandbox_messages (tenant_id, id, notification_id, order_id, channel, "
         "recipient, subject, body, html, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind_all(tenant_, m.id, m.notification_id, m.order_id, to_string(m.channel), m.recipient,
                m.subject, m.body, m.html, to_millis(m.created_at))
      .run();
}

}  // namespace depot::sql
