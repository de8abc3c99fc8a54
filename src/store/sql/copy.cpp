#include "store/sql/copy.h"

#include <algorithm>
#include <map>
#include <utility>

namespace depot::sql {

namespace {

// Each database records the migrations of its own schema.
constexpr const char* kMigrationsTable = "schema_migrations";

// One table to copy: the columns both databases have, and the condition that picks the rows of
// the merchant copied (empty for every row; ?1 is the merchant).
struct TablePlan {
  std::string table;
  std::vector<std::string> columns;
  std::string where;
};

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The names come from the databases' own catalogues; quoted, none can clash with a keyword.
std::string quoted(const std::string& name) {
  std::string text = "\"";
  for (char c : name) text += c == '"' ? std::string("\"\"") : std::string(1, c);
  return text + "\"";
}

std::vector<TablePlan> plan_tables(Connection& source, Connection& target,
                                   const std::optional<TenantId>& tenant) {
  std::vector<std::string> source_tables = source.tables();
  std::vector<TablePlan> plans;
  for (const std::string& table : target.tables()) {
    if (table == kMigrationsTable) continue;
    if (!contains(source_tables, table)) {
      throw Error("the source has no table " + table + ": its schema is not the target's");
    }
    TablePlan plan{table, {}, {}};
    std::vector<std::string> source_columns = source.columns(table);
    for (const std::string& column : target.columns(table)) {
      if (contains(source_columns, column)) plan.columns.push_back(column);
    }
    if (tenant) {
      if (contains(plan.columns, "tenant_id")) {
        plan.where = " WHERE tenant_id = ?1";
      } else if (table == "tenants") {
        plan.where = " WHERE id = ?1";
      } else {
        // Every merchant's table leads with tenant_id today; a table without one cannot be split
        // by merchant, and copying all of it or none would both be wrong.
        throw Error("table " + table + " has no tenant_id: which of its rows are merchant " +
                    std::to_string(*tenant) + "'s is unknown");
      }
    }
    plans.push_back(std::move(plan));
  }
  return plans;
}

// One value of a source row, held until its row's batch is inserted.
struct Cell {
  ColumnType type = ColumnType::null;
  std::int64_t integer = 0;
  double real = 0;
  std::string bytes;  // text or blob
};

Cell cell_of(const Query& row, int column) {
  Cell cell{row.column_type(column), 0, 0, {}};
  switch (cell.type) {
    case ColumnType::integer:
      cell.integer = row.integer(column);
      break;
    case ColumnType::real:
      cell.real = row.real(column);
      break;
    case ColumnType::text:
      cell.bytes = row.text(column);
      break;
    case ColumnType::blob:
      cell.bytes = row.blob(column);
      break;
    case ColumnType::null:
      break;
  }
  return cell;
}

void bind_cell(Query& insert, int parameter, const Cell& cell) {
  switch (cell.type) {
    case ColumnType::integer:
      insert.bind(parameter, cell.integer);
      break;
    case ColumnType::real:
      insert.bind(parameter, cell.real);
      break;
    case ColumnType::text:
      insert.bind(parameter, cell.bytes);
      break;
    case ColumnType::blob:
      insert.bind_blob(parameter, cell.bytes);
      break;
    case ColumnType::null:
      insert.bind_null(parameter);
      break;
  }
}

// Rows go in many to a statement: on PostgreSQL each statement is a round trip, and a store of a
// million orders holds tens of millions of rows. Both databases take tens of thousands of
// parameters in one statement (SQLite 32,766; PostgreSQL 65,535).
constexpr std::size_t kRowsPerInsert = 500;
constexpr std::size_t kParametersPerInsert = 30'000;

TableCopy copy_table(Connection& source, Connection& target, const TablePlan& plan,
                     const std::optional<TenantId>& tenant) {
  std::string names;
  std::string row_placeholders;
  for (const std::string& column : plan.columns) {
    names += (names.empty() ? "" : ", ") + quoted(column);
    row_placeholders += row_placeholders.empty() ? "(?" : ", ?";
  }
  row_placeholders += ")";
  const std::size_t columns = plan.columns.size();
  const std::size_t per_insert =
      std::max<std::size_t>(1, std::min(kRowsPerInsert, kParametersPerInsert / columns));
  auto insert_of = [&](std::size_t rows) {
    std::string sql = "INSERT INTO " + quoted(plan.table) + " (" + names + ") VALUES ";
    for (std::size_t i = 0; i < rows; ++i) sql += (i == 0 ? "" : ", ") + row_placeholders;
    return sql + " ON CONFLICT DO NOTHING";
  };
  const std::string full_insert = insert_of(per_insert);

  TableCopy copied{plan.table, 0, 0};
  std::vector<Cell> batch;
  batch.reserve(per_insert * columns);
  auto insert_batch = [&] {
    std::size_t rows = batch.size() / columns;
    if (rows == 0) return;
    Query insert = target.query(rows == per_insert ? full_insert : insert_of(rows));
    for (std::size_t i = 0; i < batch.size(); ++i) {
      bind_cell(insert, static_cast<int>(i + 1), batch[i]);
    }
    insert.run();
    copied.added += target.changes();
    copied.rows += static_cast<std::int64_t>(rows);
    batch.clear();
  };
  Query rows = source.query("SELECT " + names + " FROM " + quoted(plan.table) + plan.where);
  if (tenant) rows.bind(1, *tenant);
  while (rows.step()) {
    for (int column = 0; column < rows.column_count(); ++column) {
      batch.push_back(cell_of(rows, column));
    }
    if (batch.size() == per_insert * columns) insert_batch();
  }
  insert_batch();
  return copied;
}

std::int64_t count_rows(Connection& db, const TablePlan& plan,
                        const std::optional<TenantId>& tenant) {
  Query q = db.query("SELECT COUNT(*) FROM " + quoted(plan.table) + plan.where);
  if (tenant) q.bind(1, *tenant);
  return q.step() ? q.integer(0) : 0;
}

// The first stock balance on `db` that is not the sum of its ledger's deltas (a balance with no
// ledger rows sums to zero, and so do ledger rows with no balance), as a message; empty if none.
std::string ledger_mismatch(Connection& db, const std::optional<TenantId>& tenant) {
  std::string of_balances = tenant ? " WHERE b.tenant_id = ?1" : "";
  std::string of_movements = tenant ? " AND m.tenant_id = ?1" : "";
  Query q = db.query(
      "SELECT b.tenant_id, b.sku, b.location_id FROM stock_balances b "
      "LEFT JOIN stock_movements m ON m.tenant_id = b.tenant_id AND m.sku = b.sku "
      "AND m.location_id = b.location_id" +
      of_balances +
      " GROUP BY b.tenant_id, b.sku, b.location_id, b.on_hand, b.reserved "
      "HAVING COALESCE(SUM(m.on_hand_delta), 0) <> b.on_hand "
      "OR COALESCE(SUM(m.reserved_delta), 0) <> b.reserved "
      "UNION ALL "
      "SELECT m.tenant_id, m.sku, m.location_id FROM stock_movements m WHERE NOT EXISTS ("
      "SELECT 1 FROM stock_balances b WHERE b.tenant_id = m.tenant_id AND b.sku = m.sku "
      "AND b.location_id = m.location_id)" +
      of_movements +
      " GROUP BY m.tenant_id, m.sku, m.location_id "
      "HAVING SUM(m.on_hand_delta) <> 0 OR SUM(m.reserved_delta) <> 0 LIMIT 1");
  if (tenant) q.bind(1, *tenant);
  if (!q.step()) return {};
  return "the stock ledger of SKU " + q.text(1) + " at location " + std::to_string(q.integer(2)) +
         " of merchant " + std::to_string(q.integer(0)) + " does not add up to its balance";
}

std::string first_mismatch(Connection& target, const std::vector<TablePlan>& plans,
                           const std::vector<TableCopy>& copied,
                           const std::optional<TenantId>& tenant) {
  for (std::size_t i = 0; i < plans.size(); ++i) {
    std::int64_t held = count_rows(target, plans[i], tenant);
    if (held != copied[i].rows) {
      return plans[i].table + ": the target holds " + std::to_string(held) +
             " rows of the merchants copied, the source " + std::to_string(copied[i].rows);
    }
  }
  return ledger_mismatch(target, tenant);
}

// Raises the id sequences of the target above every id its tables hold, whichever merchant's.
int raise_sequences(Connection& target, const std::vector<TablePlan>& plans) {
  std::map<std::string, std::int64_t> highest;  // by the table whose ids are drawn
  for (const TablePlan& plan : plans) {
    if (!contains(plan.columns, "id")) continue;
    Query q = target.query("SELECT COALESCE(MAX(id), 0) FROM " + quoted(plan.table));
    q.step();
    // A shipment's id is its parcel's: both are drawn for parcels.
    std::string drawn_for = plan.table == "shipments" ? "parcels" : plan.table;
    highest[drawn_for] = std::max(highest[drawn_for], q.integer(0));
  }
  int raised = 0;
  for (const auto& [table, id] : highest) {
    if (id > 0 && target.raise_ids_above(table, id)) ++raised;
  }
  return raised;
}

}  // namespace

std::int64_t CopyReport::rows() const {
  std::int64_t sum = 0;
  for (const TableCopy& table : tables) sum += table.rows;
  return sum;
}

std::int64_t CopyReport::added() const {
  std::int64_t sum = 0;
  for (const TableCopy& table : tables) sum += table.added;
  return sum;
}

CopyReport copy_store(Connection& source, Connection& target, const CopyOptions& options) {
  std::vector<TablePlan> plans = plan_tables(source, target, options.tenant);
  CopyReport report;
  source.run("BEGIN");
  target.run("BEGIN");
  try {
    for (const TablePlan& plan : plans) {
      report.tables.push_back(copy_table(source, target, plan, options.tenant));
      if (options.on_table) options.on_table(report.tables.back());
    }
    report.mismatch = first_mismatch(target, plans, report.tables, options.tenant);
    if (report.mismatch.empty()) {
      report.sequences_raised = raise_sequences(target, plans);
      target.run("COMMIT");
    } else {
      target.run("ROLLBACK");
    }
  } catch (...) {
    target.run("ROLLBACK");
    source.run("ROLLBACK");
    throw;
  }
  source.run("COMMIT");
  return report;
}

}  // namespace depot::sql
