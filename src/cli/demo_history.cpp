#include "cli/demo_history.h"

#include <optional>
#include <stdexcept>

#include "app/feedback_service.h"
#include "app/inventory_service.h"
#include "app/order_service.h"
#include "app/refund_service.h"
#include "app/return_service.h"
#include "app/shipping_service.h"
#include "app/ticket_service.h"
#include "app/tracking_jobs.h"
#include "app/tracking_service.h"
#include "app/verifier.h"
#include "cli/demo_fates.h"
#include "cli/demo_replay.h"
#include "cli/demo_sweeps.h"
#include "concurrency/mutex.h"

namespace depot::cli {

namespace {

using std::chrono::days;

// The ids the use cases answered, per planned order; 0 until known.
struct Ids {
  explicit Ids(std::size_t orders)
      : order(orders),
        replacement(orders),
        return_request(orders),
        refund(orders),
        ticket(orders) {}
  std::vector<std::int64_t> order, replacement, return_request, refund, ticket;
};

class HistoryRecorder {
 public:
  HistoryRecorder(const HistoryParts& parts, const Actor& owner, const DemoWindow& window,
                  const DemoPlan& plan)
      : store_(parts.store, clock_),
        verifier_(store_, parts.rules, nullptr),
        orders_(store_, clock_, verifier_),
        shipping_(store_, clock_, verifier_),
        tracking_(store_, clock_, parts.tracker, parts.etas, parts.site),
        tracking_jobs_(store_, clock_, parts.tracker, tracking_),
        inventory_(store_, clock_, parts.media),
        returns_(store_, clock_),
        refunds_(store_, clock_),
        tickets_(store_, clock_),
        feedback_(store_, clock_, tickets_),
        owner_(owner),
        warehouse_(staff(owner, "仓库 小王")),
        service_(staff(owner, "客服 小林")),
        window_(window),
        plan_(plan),
        ids_(plan.orders.size()) {
    MerchantSettings settings = store_.read(owner.tenant_id)->settings();
    sweeps_ = sweep_days(window, plan, settings.ship,
                         std::chrono::seconds(settings.unpaid_timeout_seconds));
  }

  // Never leaves while a queued write may still call back into this object.
  ~HistoryRecorder() { drain(); }

  void record() {
    set_up_shop();
    std::vector<std::size_t> day_starts;  // the first step of each day, and the end
    for (int d = 0; d <= window_.days; ++d) {
      Day day = window_.first_day + days(d);
      std::size_t first = day_starts.empty() ? 0 : day_starts.back();
      while (first < plan_.steps.size() && local_day(plan_.steps[first].at) < day) ++first;
      day_starts.push_back(first);
    }
    auto steps_of = [&](int d, bool opening) {
      for (std::size_t i = day_starts[static_cast<std::size_t>(d)];
           i < day_starts[static_cast<std::size_t>(d) + 1]; ++i) {
        if (opens_the_day(plan_.steps[i].step) == opening) perform(plan_.steps[i]);
      }
      import_scans();
    };
    // A day's orders (and the morning's deliveries among them) come first: its other steps need
    // their ids. Then everything else in the order it happened; then the next day's orders; then
    // the day's sweeps, whose answers say the day and the next day's orders are recorded.
    steps_of(0, true);
    wait_until_recorded();
    for (int d = 0; d < window_.days; ++d) {
      steps_of(d, false);
      if (d + 1 < window_.days) steps_of(d + 1, true);
      sweep(window_.first_day + days(d));
      wait_until_recorded();
    }
  }

 private:
  static Actor staff(Actor actor, std::string name) {
    actor.name = std::move(name);
    return actor;
  }
  static bool opens_the_day(const Step& step) {
    return std::holds_alternative<CreateOrder>(step) || std::holds_alternative<ReceiveStock>(step);
  }

  // Queues one use case; `recorded` runs with its answer (on the store's writer, under mutex_).
  template <class T, class Start, class Recorded>
  void issue(std::string what, Start start, Recorded recorded) {
    {
      MutexLock lock(mutex_);
      ++pending_;
    }
    start(Callback<T>([this, what = std::move(what), recorded](Result<T> result) {
      MutexLock lock(mutex_);
      if (result.ok()) {
        recorded(*result);
      } else if (!failure_) {
        failure_ = what + ": " + result.error().message;
      }
      if (--pending_ == 0) idle_.notify_all();
    }));
  }
  template <class T, class Start>
  void issue(std::string what, Start start) {
    issue<T>(std::move(what), std::move(start), [](const T&) {});
  }

  void drain() {
    MutexLock lock(mutex_);
    idle_.wait(mutex_, [this]() REQUIRES(mutex_) { return pending_ == 0; });
  }
  void wait_until_recorded() {
    drain();
    MutexLock lock(mutex_);
    if (failure_) throw std::runtime_error("demo history: " + *failure_);
  }
  static void require(const Result<int>& swept, const char* what) {
    if (!swept.ok()) {
      throw std::runtime_error(std::string("demo history: ") + what + ": " + swept.error().message);
    }
  }

  // An id an earlier day's step answered.
  std::int64_t known(const std::vector<std::int64_t>& ids, int order, const char* what) const {
    std::int64_t id = ids[static_cast<std::size_t>(order)];
    if (id == 0) {
      throw std::logic_error(std::string("demo history: the ") + what + " of planned order " +
                             std::to_string(order) + " is not recorded yet");
    }
    return id;
  }

  void set_up_shop();
  void perform(const PlannedStep& planned);
  void import_scans();
  void sweep(Day day);

  void perform(const ReceiveStock& step);
  void perform(const CreateOrder& step);
  void perform(const PayOrder& step);
  void perform(const CancelOrder& step);
  void perform(const CreateRefund& step);
  void perform(const CompleteRefund& step);
  void perform(const ShipParcel& step);
  void perform(const ScanParcel& step);
  void perform(const LeaveFeedback& step);
  void perform(const Complain& step);
  void perform(const ResolveComplaint& step);
  void perform(const RequestReturn& step);
  void perform(const DecideReturn& step);
  void perform(const SendReturn& step);
  void perform(const ReceiveReturn& step);

  ReplayClock clock_;
  ReplayStore store_;
  Verifier verifier_;
  OrderService orders_;
  ShippingService shipping_;
  TrackingService tracking_;
  TrackingJobs tracking_jobs_;
  InventoryService inventory_;
  ReturnService returns_;
  RefundService refunds_;
  TicketService tickets_;
  FeedbackService feedback_;
  Actor owner_;
  Actor warehouse_;
  Actor service_;
  const DemoWindow& window_;
  const DemoPlan& plan_;
  SweepDays sweeps_;

  Mutex mutex_;
  ConditionVariable idle_;
  int pending_ GUARDED_BY(mutex_) = 0;
  std::optional<std::string> failure_ GUARDED_BY(mutex_);
  Ids ids_;      // written by the writer's callbacks; read once the day that wrote them is recorded
  Instant now_;  // the time of the step being performed
  std::vector<CheckpointRow> scans_;  // waiting to be imported
  std::chrono::sys_time<std::chrono::hours> scans_hour_;
};

void HistoryRecorder::set_up_shop() {
  clock_.set(plan_.setup_at);
  for (const DemoProduct& p : demo_catalogue()) {
    Product product;
    product.sku = p.sku;
    product.name = p.name;
    product.price = p.price;
    product.low_stock_threshold = p.low_stock_threshold;
    product.attributes = {{"origin", "CN"}};
    issue<Product>("product " + product.sku,
                   [&](auto done) { inventory_.create_product(owner_, product, done); });
  }
  for (const auto& [sku, quantity] : plan_.opening_stock) {
    ReceiveCommand receipt;
    receipt.sku = sku;
    receipt.quantity = quantity;
    receipt.reason = "期初库存 Opening stock";
    issue<StockLevel>("opening stock of " + sku,
                      [&](auto done) { inventory_.receive(warehouse_, receipt, done); });
  }
  issue<LocationRef>("shelf A-01-01", [&](auto done) {
    inventory_.create_location(owner_, "main", "A-01-01", done);
  });
  TransferCommand shelving{"BAG-CANVAS", "main/default", "main/A-01-01", 50, "上架 Shelving", ""};
  issue<StockLevel>("shelving",
                    [&](auto done) { inventory_.transfer(warehouse_, shelving, done); });
  wait_until_recorded();
}

void HistoryRecorder::perform(const PlannedStep& planned) {
  now_ = planned.at;
  // The carriers' scans are imported in one file an hour, after the steps before them.
  bool scan = std::holds_alternative<ScanParcel>(planned.step);
  if (!scans_.empty() &&
      (!scan || std::chrono::floor<std::chrono::hours>(planned.at) != scans_hour_)) {
    import_scans();
  }
  if (scans_.empty()) scans_hour_ = std::chrono::floor<std::chrono::hours>(planned.at);
  clock_.set(planned.at);
  std::visit([this](const auto& step) { perform(step); }, planned.step);
}

void HistoryRecorder::import_scans() {
  if (scans_.empty()) return;
  clock_.set(scans_.back().checkpoint.at.value());
  std::size_t rows = scans_.size();
  issue<CheckpointImport>(
      "tracking import of " + std::to_string(rows) + " scans",
      [&](auto done) { tracking_.import_checkpoints(warehouse_, std::move(scans_), done); },
      [this](const CheckpointImport& report) REQUIRES(mutex_) {
        if (!report.failed.empty() && !failure_) {
          failure_ = "tracking import: line " + std::to_string(report.failed.front().line) + ": " +
                     report.failed.front().message;
        }
      });
  scans_.clear();
}

void HistoryRecorder::sweep(Day day) {
  clock_.set(sweep_time(window_, day));
  TenantId tenant = owner_.tenant_id;
  if (sweeps_.reminders.count(day)) require(shipping_.raise_reminders(tenant), "reminders");
  if (sweeps_.unpaid.count(day)) require(orders_.cancel_overdue_unpaid(tenant), "unpaid timeout");
  require(tracking_jobs_.flag_stalled(tenant), "stalled parcels");
}

void HistoryRecorder::perform(const ReceiveStock& step) {
  ReceiveCommand receipt;
  receipt.sku = step.sku;
  receipt.quantity = step.quantity;
  receipt.reason = "供应商到货 Supplier delivery";
  issue<StockLevel>("delivery of " + step.sku,
                    [&](auto done) { inventory_.receive(warehouse_, receipt, done); });
}

void HistoryRecorder::perform(const CreateOrder& step) {
  const PlannedOrder& planned = plan_.orders[static_cast<std::size_t>(step.order)];
  const DemoBuyer& buyer = plan_.buyers[static_cast<std::size_t>(planned.buyer)];
  CreateOrderCommand command;
  command.draft.lines = planned.lines;
  command.draft.customer = buyer.customer;
  command.draft.shipping_address = buyer.address;
  command.draft.platform = planned.platform;
  command.draft.external_no = planned.external_no;
  std::size_t index = static_cast<std::size_t>(step.order);
  issue<CreatedOrder>(
      "order " + planned.external_no,
      [&](auto done) { orders_.create(owner_, std::move(command), done); },
      [this, index](const CreatedOrder& created) { ids_.order[index] = created.order.id; });
}

void HistoryRecorder::perform(const PayOrder& step) {
  const PlannedOrder& planned = plan_.orders[static_cast<std::size_t>(step.order)];
  Payment payment{total_of(planned), step.method, "DEMO-PAY-" + planned.external_no, {}};
  std::int64_t id = known(ids_.order, step.order, "order");
  issue<Order>("payment of order " + std::to_string(id),
               [&](auto done) { orders_.pay(service_, id, payment, done); });
}

void HistoryRecorder::perform(const CancelOrder& step) {
  std::int64_t id = known(ids_.order, step.order, "order");
  issue<Order>("cancellation of order " + std::to_string(id),
               [&](auto done) { orders_.cancel(service_, id, step.reason, done); });
}

void HistoryRecorder::perform(const CreateRefund& step) {
  std::int64_t id = known(ids_.order, step.order, "order");
  NewRefund refund;
  refund.amount = step.amount;
  refund.reason = step.reason;
  if (step.for_return) refund.return_id = known(ids_.return_request, step.order, "return");
  std::size_t index = static_cast<std::size_t>(step.order);
  issue<CreatedRefund>(
      "refund of order " + std::to_string(id),
      [&](auto done) { refunds_.create(service_, id, refund, done); },
      [this, index](const CreatedRefund& created) { ids_.refund[index] = created.refund.id; });
}

void HistoryRecorder::perform(const CompleteRefund& step) {
  std::int64_t id = known(ids_.refund, step.order, "refund");
  issue<Refund>("completion of refund " + std::to_string(id), [&](auto done) {
    refunds_.complete(service_, id, "DEMO-REFUND-" + std::to_string(id), done);
  });
}

void HistoryRecorder::perform(const ShipParcel& step) {
  std::int64_t id = step.replacement ? known(ids_.replacement, step.order, "replacement order")
                                     : known(ids_.order, step.order, "order");
  ShipCommand parcel{step.carrier, step.tracking_no, std::nullopt, {}};
  issue<Shipped>("parcel " + step.tracking_no,
                 [&](auto done) { shipping_.ship(warehouse_, id, parcel, done); });
}

void HistoryRecorder::perform(const ScanParcel& step) {
  CheckpointRow row;
  row.line = static_cast<std::int64_t>(scans_.size()) + 2;  // as in a file with a header line
  row.tracking_no = step.tracking_no;
  row.checkpoint = {std::string(to_string(step.status)), step.text, now_, step.location};
  scans_.push_back(std::move(row));
}

void HistoryRecorder::perform(const LeaveFeedback& step) {
  std::int64_t id = known(ids_.order, step.order, "order");
  FeedbackInput input{step.intact, step.rating, step.comment};
  issue<Feedback>("feedback on order " + std::to_string(id), [&](auto done) {
    feedback_.record_from_customer(owner_.tenant_id, id, input, done);
  });
}

void HistoryRecorder::perform(const Complain& step) {
  std::int64_t id = known(ids_.order, step.order, "order");
  std::size_t index = static_cast<std::size_t>(step.order);
  issue<Ticket>(
      "complaint about order " + std::to_string(id),
      [&](auto done) { feedback_.complain(service_, id, step.text, done); },
      [this, index](const Ticket& ticket) { ids_.ticket[index] = ticket.id; });
}

void HistoryRecorder::perform(const ResolveComplaint& step) {
  std::int64_t id = known(ids_.ticket, step.order, "complaint");
  issue<Ticket>("note on ticket " + std::to_string(id),
                [&](auto done) { tickets_.comment(service_, id, step.note, done); });
  TicketChange resolved;
  resolved.status = TicketStatus::resolved;
  issue<Ticket>("resolution of ticket " + std::to_string(id),
                [&](auto done) { tickets_.change(service_, id, resolved, done); });
}

void HistoryRecorder::perform(const RequestReturn& step) {
  std::int64_t id = known(ids_.order, step.order, "order");
  NewReturn request;
  request.kind = step.kind;
  request.lines = step.lines;
  request.replacement_lines = step.replacement_lines;
  request.reason = step.reason;
  std::size_t index = static_cast<std::size_t>(step.order);
  issue<CreatedReturn>(
      "return of order " + std::to_string(id),
      [&](auto done) { returns_.request(service_, id, request, done); },
      [this, index](const CreatedReturn& created) {
        ids_.return_request[index] = created.request.id;
      });
}

void HistoryRecorder::perform(const DecideReturn& step) {
  std::int64_t id = known(ids_.return_request, step.order, "return");
  issue<ReturnRequest>("decision on return " + std::to_string(id), [&](auto done) {
    if (step.approve) {
      returns_.approve(service_, id, step.note, done);
    } else {
      returns_.reject(service_, id, step.note, done);
    }
  });
}

void HistoryRecorder::perform(const SendReturn& step) {
  std::int64_t id = known(ids_.return_request, step.order, "return");
  issue<ReturnRequest>("parcel of return " + std::to_string(id), [&](auto done) {
    returns_.record_parcel(service_, id, step.carrier, step.tracking_no, done);
  });
}

void HistoryRecorder::perform(const ReceiveReturn& step) {
  std::int64_t id = known(ids_.return_request, step.order, "return");
  ReturnReceipt receipt{step.restock, "", step.note};
  std::size_t index = static_cast<std::size_t>(step.order);
  issue<ReturnRequest>(
      "receipt of return " + std::to_string(id),
      [&](auto done) { returns_.receive(warehouse_, id, receipt, done); },
      [this, index](const ReturnRequest& received) {
        ids_.replacement[index] = received.replacement_order_id;
      });
}

}  // namespace

HistorySummary record_demo_history(const HistoryParts& parts, const Actor& owner,
                                   const DemoWindow& window, const DemoPlan& plan) {
  auto began = std::chrono::steady_clock::now();
  HistoryRecorder recorder(parts, owner, window, plan);
  recorder.record();
  return {window.days, plan.orders.size(),
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                began)};
}

}  // namespace depot::cli
