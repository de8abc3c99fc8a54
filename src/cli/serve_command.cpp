// `depot serve`: the composition root. It builds the adapters, hands them to the use cases,
// mounts the routes and runs until SIGINT or SIGTERM, then stops gracefully: no new connections,
// in-flight requests answered, queued writes committed, and only then the store closed.
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include <array>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include "app/access_service.h"
#include "app/alert_feed.h"
#include "app/batch_shipping.h"
#include "app/channel_accounts.h"
#include "app/export_service.h"
#include "app/forecast_service.h"
#include "app/integration_service.h"
#include "app/inventory_service.h"
#include "app/merchant_service.h"
#include "app/metrics.h"
#include "app/notification_dispatcher.h"
#include "app/notification_sender.h"
#include "app/notification_service.h"
#include "app/operation_metrics.h"
#include "app/order_imports.h"
#include "app/order_service.h"
#include "app/print_service.h"
#include "app/public_tracking.h"
#include "app/report_service.h"
#include "app/rule_book.h"
#include "app/rule_service.h"
#include "app/shipment_imports.h"
#include "app/shipping_service.h"
#include "app/site_address.h"
#include "app/ticket_service.h"
#include "app/tracking_jobs.h"
#include "app/tracking_service.h"
#include "app/verifier.h"
#include "app/waybill_accounts.h"
#include "carriers/kuaidi100/kuaidi100_tracker.h"
#include "carriers/kuaidi100/kuaidi100_waybills.h"
#include "channels/email/smtp_channel.h"
#include "channels/platform/platform_channel.h"
#include "channels/push/jpush_channel.h"
#include "channels/sms/aliyun_sms_channel.h"
#include "channels/webhook/webhook_channel.h"
#include "channels/wechat/wechat_channel.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/demo_data.h"
#include "cli/open_store.h"
#include "cli/process_metrics.h"
#include "exports/csv/csv_table_writer.h"
#include "exports/xlsx/xlsx_table_writer.h"
#include "geocoders/amap/amap_geocoder.h"
#include "http/alert_routes.h"
#include "http/json_output_notifications.h"
#include "http/routes.h"
#include "http/server.h"
#include "http/write_back_payload.h"
#include "images/decoding_inspector.h"
#include "logging/log_format.h"
#include "net/curl_loop.h"
#include "net/curl_threads.h"
#include "printing/pdf_renderer.h"
#include "rules/lua/lua_rule_engine.h"
#include "store/files/export_directory.h"
#include "store/files/media_directory.h"
#include "workers/export_runner.h"
#include "workers/import_runner.h"
#include "workers/notification_worker.h"
#include "workers/scheduler.h"

namespace depot::cli {

namespace asio = boost::asio;

namespace {

// Threads that run handlers when the store is across the network: each holds one read
// connection while it waits, so a handful per request thread keeps the cores busy.
constexpr int kHandlersPerThread = 4;
constexpr int kHandlersAtLeast = 8;

asio::ip::tcp::endpoint parse_endpoint(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("--listen must be HOST:PORT");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  int port = std::stoi(listen.substr(colon + 1));
  if (port < 0 || port > 65535) throw std::runtime_error("--listen port out of range");
  return {asio::ip::make_address(host), static_cast<unsigned short>(port)};
}

// The name this node's claims carry: the configured one, or the host name and the listening port,
// which stay the same across restarts of one node and differ between nodes.
std::string node_name(const ServeConfig& config) {
  if (!config.node.empty()) return config.node;
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0) host = {};
  return std::string(host.data()) + ":" + std::to_string(parse_endpoint(config.listen).port());
}

// The connections to allow at once when the configuration names no number: what the open-file
// limit leaves after the database, the media, the providers' connections and the logs.
std::size_t connections_allowed(std::int64_t configured) {
  if (configured > 0) return static_cast<std::size_t>(configured);
  constexpr rlim_t kKeptForTheRest = 256;
  constexpr rlim_t kAtMost = 10'000;
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) != 0 || files.rlim_cur == RLIM_INFINITY) return kAtMost;
  if (files.rlim_cur <= 2 * kKeptForTheRest) return std::max<rlim_t>(files.rlim_cur / 2, 1);
  return std::min(files.rlim_cur - kKeptForTheRest, kAtMost);
}

int serve(ServeConfig config) {
  std::optional<logging::LogFormat> log_format = logging::parse_log_format(config.log_format);
  if (!log_format) throw std::runtime_error("log_format must be text or json");
  logging::use_log_format(*log_format);
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  if (config.web_root.empty()) config.web_root = default_web_root();
  int threads = config.threads > 0
                    ? config.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  // Before the store: the store's commit hook counts into it until the store is gone.
  metrics::Registry metrics;
  add_process_metrics(metrics);
  OpenStore opened(config.data_dir, config.db);
  Store& store = opened.store();
  ReportStore& report_store = opened.reports();
  files::MediaDirectory media((std::filesystem::path(config.data_dir) / "media").string());
  SystemClock clock;
  add_store_metrics(metrics, store, clock);
  rules::LuaRuleEngine rule_engine;
  geocoders::AmapGeocoder geocoder;
  RuleBook rule_book(rule_engine);
  Verifier verifier(store, rule_book, &geocoder);
  AccessService access(store, clock);
  OrderService orders(store, clock, verifier);
  InventoryService inventory(store, clock, media);
  images::DecodingInspector image_inspector;
  ProductImages product_images(store, clock, media, image_inspector);
  MerchantService merchant(store, clock);
  AlertFeed alert_feed(store, {.on_error = [](TenantId tenant, const std::string& message) {
                         spdlog::error("alert stream of merchant {}: {}", tenant, message);
                       }});
  store.on_events_committed(
      [&alert_feed](const std::vector<TenantId>& tenants) { alert_feed.notify(tenants); });
  ShippingService shipping(store, clock, verifier);
  ShipmentImports imports(store, clock, shipping);
  RuleService rules(store, clock, rule_book);
  AuditLog audit_log(store);
  // Where depot's pages and callbacks are reached from outside: known once the server listens.
  SiteAddress site;
  IntegrationService integrations(store, clock, verifier, orders, site);
  OrderImports order_imports(store, clock, integrations);
  workers::ImportRunner import_runner({&imports, &order_imports});
  imports.on_queued([&import_runner] { import_runner.wake(); });
  order_imports.on_queued([&import_runner] { import_runner.wake(); });

  // Notifications: the providers' adapters share one curl loop. It is stopped by hand before the
  // store closes, so the outcomes of sends still in flight are recorded.
  // Its limit leaves room for every channel's own cap in the notification worker (and as much
  // again to spare), so a slow channel's sends never queue another's in the loop.
  workers::NotificationWorkerOptions notification_options;
  std::optional<net::CurlLoop> provider_loop(
      std::in_place,
      net::CurlLoopOptions{.max_in_flight = workers::sends_in_flight_at_most(notification_options) +
                                            net::CurlLoopOptions{}.max_in_flight});
  // Mail runs an exchange per thread: libcurl waits for an SMTP server's reply to the message
  // (and to QUIT) blocking, so a server that stalls there holds up only its own mail. As many
  // threads as the worker sends mail at once.
  std::optional<net::CurlThreads> mail_threads(
      std::in_place,
      net::CurlThreadsOptions{.max_threads = static_cast<std::size_t>(
                                  notification_options.max_in_flight.at(ChannelKind::email))});
  channels::SmtpChannel email_channel(
      *mail_threads,
      channels::SmtpChannelOptions::within(std::chrono::seconds(config.smtp_timeout_seconds)));
  channels::AliyunSmsChannel sms_channel(*provider_loop);
  channels::WechatChannel wechat_channel(*provider_loop);
  channels::JpushChannel push_channel(*provider_loop);
  channels::WebhookChannel webhook_channel(*provider_loop);
  channels::PlatformChannel platform_channel(*provider_loop);
  NotificationComposer composer(http::webhook_payload, &site, http::write_back_payload);
  NotificationDispatcher dispatcher(store, clock, composer);
  const std::string node = node_name(config);
  NotificationSender sender(store, clock, composer,
                            {{ChannelKind::email, &email_channel},
                             {ChannelKind::sms, &sms_channel},
                             {ChannelKind::wechat, &wechat_channel},
                             {ChannelKind::push, &push_channel},
                             {ChannelKind::webhook, &webhook_channel},
                             {ChannelKind::platform, &platform_channel}},
                            node);
  workers::NotificationWorker notification_worker(store, dispatcher, sender, notification_options);
  add_notification_metrics(metrics, sender);
  sender.on_recorded([&notification_worker](std::int64_t id, const Status& stored) {
    if (!stored.ok()) {
      spdlog::error(
          "notification {}: its outcome could not be stored ({}); it is sent again "
          "when its lease ends",
          id, stored.error().message);
    }
    notification_worker.send_finished();
  });
  store.on_events_committed([&notification_worker](const std::vector<TenantId>& tenants) {
    notification_worker.events_committed(tenants);
  });
  ChannelAccounts channel_accounts(store, clock);
  NotificationService notifications(store, clock, composer);
  TicketService tickets(store, clock);
  ReturnService returns(store, clock);
  RefundService refunds(store, clock);
  FeedbackService feedback(store, clock, tickets);
  ReportService reports(store, report_store, clock);
  // The tracking aggregator has a loop of its own: requests to one that hangs fill only its
  // places, and no notification ever queues behind them.
  std::optional<net::CurlLoop> aggregator_loop(std::in_place);
  carriers::Kuaidi100Tracker tracker(*aggregator_loop,
                                     carriers::Kuaidi100TrackerOptions::within(
                                         std::chrono::seconds(config.tracking_timeout_seconds)));
  // Electronic waybills (电子面单) from the same aggregator, on the same loop: the issuer batch
  // shipping asks for each parcel's tracking number and label.
  carriers::Kuaidi100Waybills waybill_issuer(*aggregator_loop);
  WaybillAccounts waybill_accounts(store, clock);
  EtaCache etas;
  TrackingService tracking(store, clock, tracker, etas, site);
  TrackingJobs tracking_jobs(store, clock, tracker, tracking);
  PublicTracking public_tracking(store, clock, tracking);
  ForecastService forecasts(store, report_store, clock, etas);
  files::ExportDirectory export_files(
      (std::filesystem::path(config.data_dir) / "exports").string());
  ExportService export_jobs(
      store, report_store, clock, export_files,
      [](const std::string& path) { return std::make_unique<exports::CsvTableWriter>(path); },
      [](const std::string& path) { return std::make_unique<exports::XlsxTableWriter>(path); });
  export_jobs.on_internal_error([](std::int64_t id, const std::string& what) {
    spdlog::error("export {} failed: {}", id, what);
  });
  workers::ExportRunner export_runner(export_jobs);
  export_jobs.on_queued([&export_runner] { export_runner.wake(); });
  // One-click shipping: batches run on a runner of their own (they wait on the aggregator), and
  // their PDFs are kept under DATA/labels.
  printing::PdfRenderer pdf_renderer;
  PrintService print(store, pdf_renderer);
  files::ExportDirectory label_files((std::filesystem::path(config.data_dir) / "labels").string());
  BatchShipping batches(store, clock, shipping, waybill_issuer, tracking, print, label_files);
  workers::ImportRunner batch_runner({&batches});
  batches.on_queued([&batch_runner] { batch_runner.wake(); });

  // The console's logins. Hashing a password and waiting for a commit block, so those use cases
  // run on a pool of their own rather than on the request threads.
  UserService users(store, clock);
  SessionService sessions(store, clock, {std::chrono::seconds(config.session_minutes * 60), {}});
  asio::thread_pool blocking_pool(2);
  // Reports and forecasts read a merchant's whole history; they get a pool too, apart from the
  // logins, so that neither holds a request thread nor waits behind the other.
  asio::thread_pool report_pool(2);

  std::string demo_key;
  DemoLogin demo_login;
  if (config.demo) {
    HistoryParts history{store, media, rule_book, tracker, etas, site};
    demo_key = seed_demo(config.data_dir, {access, orders, shipping, inventory, rules,
                                           channel_accounts, dispatcher, history});
    demo_login = seed_demo_login(config.data_dir, users);
  }

  http::RateLimiter limiter(config.rate_limit, std::max(1.0, config.rate_limit * 2));
  http::Router router(access, limiter);
  http::add_order_routes(router, orders);
  http::add_inventory_routes(router, inventory);
  http::add_product_image_routes(router, product_images);
  http::add_integration_routes(router, integrations, order_imports);
  http::add_shipping_routes(router, shipping, imports);
  http::add_rule_routes(router, rules);
  http::add_notification_routes(router, channel_accounts, notifications);
  http::add_ticket_routes(router, tickets);
  http::add_audit_routes(router, audit_log);
  http::add_after_sales_routes(router, returns, refunds, feedback);
  http::add_report_routes(router, reports, report_pool);
  http::add_forecast_routes(router, forecasts, report_pool);
  http::add_tracking_routes(router, tracking);
  http::add_waybill_routes(router, waybill_accounts);
  http::add_batch_routes(router, batches, print);
  // At most 10 lookups a minute per client address on the public tracking page.
  http::RateLimiter tracking_guesses(10.0 / 60, 10);
  http::add_tracking_page_routes(router, public_tracking, feedback, tracking_guesses);
  http::add_access_routes(router, access, users, sessions, blocking_pool);
  http::add_system_routes(router, merchant, inventory, store, config.web_root);
  http::add_alert_routes(router, alert_feed);
  http::add_export_routes(router, export_jobs, config.export_inline_rows);
  http::add_metrics_routes(router, metrics, config.metrics_token);
  http::HttpMetrics http_metrics(metrics);
  // On PostgreSQL every read is a round trip over the network. The handlers then run on a pool of
  // their own, so that a request thread never waits on one and keeps reading and writing the other
  // connections. SQLite's reads are in the process and stay on the request threads.
  std::optional<asio::thread_pool> handler_pool;
  if (opened.across_network()) {
    handler_pool.emplace(std::max(kHandlersAtLeast, kHandlersPerThread * threads));
    router.run_handlers_on(*handler_pool);
  }

  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::io_context*> context_list;
  for (int i = 0; i < threads; ++i) {
    contexts.push_back(std::make_unique<asio::io_context>(1));
    context_list.push_back(contexts.back().get());
  }
  asio::io_context& io = *contexts.front();
  http::Server server(
      context_list, parse_endpoint(config.listen), router,
      http::ServerOptions{.header_timeout = std::chrono::seconds(config.header_timeout_seconds),
                          .body_timeout = std::chrono::seconds(config.body_timeout_seconds),
                          .idle_timeout = std::chrono::seconds(config.idle_timeout_seconds),
                          .max_connections = connections_allowed(config.max_connections),
                          .metrics = &http_metrics});
  std::string host = config.listen.substr(0, config.listen.rfind(':'));
  std::string base = "http://" + host + ":" + std::to_string(server.port());
  site.set_own(base);
  server.start();
  std::vector<workers::PeriodicJob> jobs = {
      {"auto-cancel of unpaid orders",
       [&orders](TenantId tenant) { return orders.cancel_overdue_unpaid(tenant); }},
      {"shipping reminders",
       [&shipping](TenantId tenant) { return shipping.raise_reminders(tenant); }},
      {"stalled parcels",
       [&tracking_jobs](TenantId tenant) { return tracking_jobs.flag_stalled(tenant); }},
  };
  workers::Scheduler scheduler(store, std::move(jobs),
                               std::chrono::milliseconds(config.sweep_interval_ms));
  scheduler.start();
  // Subscriptions with the tracking aggregator and queries of quiet parcels: a round when a
  // shipment commits, and every few seconds for retries that come due.
  std::vector<workers::PeriodicJob> tracking_rounds = {
      {"tracking subscriptions",
       [&tracking_jobs](TenantId tenant) { return tracking_jobs.subscribe_due(tenant); }},
      {"tracking queries",
       [&tracking_jobs](TenantId tenant) { return tracking_jobs.query_quiet(tenant); }},
  };
  workers::Scheduler tracking_worker(store, std::move(tracking_rounds),
                                     std::chrono::milliseconds(config.sweep_interval_ms));
  store.on_events_committed(
      [&tracking_worker](const std::vector<TenantId>&) { tracking_worker.wake(); });
  tracking_worker.start();
  if (config.dispatch) {
    notification_worker.start();
  } else {
    spdlog::warn("dispatch is off: no notification or webhook is sent");
  }
  alert_feed.start();
  import_runner.start();
  export_runner.start();
  batch_runner.start();

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: finishing in-flight requests, then stopping", signal);
    server.stop();
  });

  spdlog::info("depot listening on {} with {} thread(s), data in {}, node {}", base, threads,
               config.data_dir, node);
  if (*log_format == logging::LogFormat::json) {
    // Every line of a JSON log is an object: no banner for people.
    if (!demo_key.empty()) spdlog::info("demo key: {}", demo_key);
  } else {
    std::cout << "depot is running at " << base << "\n"
              << "  console:   " << base << "/\n"
              << "  API page:  " << base << "/docs/\n"
              << "  API spec:  " << base << "/api/v1/openapi.json\n";
    if (!demo_key.empty()) std::cout << "  demo key:  " << demo_key << "\n";
    if (!demo_login.email.empty()) {
      std::cout << "  demo login: " << demo_login.email << " / " << demo_login.password << "\n";
    }
    std::cout << std::flush;
  }

  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) {
    pool.emplace_back([context = contexts[i].get(), i] {
      pthread_setname_np(pthread_self(), ("depot-http-" + std::to_string(i)).c_str());
      context->run();
    });
  }
  io.run();
  for (std::thread& t : pool) t.join();

  scheduler.stop();
  tracking_worker.stop();
  notification_worker.stop();
  // Before the loop goes: a batch waits on its waybill requests, then stops between chunks.
  batch_runner.stop();
  provider_loop.reset();
  mail_threads.reset();
  aggregator_loop.reset();
  alert_feed.stop();
  import_runner.stop();
  // After the HTTP threads: a request waiting for its export to settle is answered first.
  export_runner.stop();
  opened.close();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto* command = app.add_subcommand("serve", "Run the depot server");
  auto config = std::make_shared<ServeConfig>();
  auto config_file = std::make_shared<std::string>();
  command->add_option("--config", *config_file, "JSON configuration file")->envname("DEPOT_CONFIG");
  command->add_option("--data", config->data_dir, "Data directory")->envname("DEPOT_DATA");
  add_db_option(*command, config->db);
  command->add_option("--listen", config->listen, "HOST:PORT to listen on")
      ->envname("DEPOT_LISTEN");
  command
      ->add_option("--node", config->node,
                   "This node's name among nodes on one --db, kept across restarts "
                   "(default: host name and --listen port)")
      ->envname("DEPOT_NODE");
  command->add_option("--web-root", config->web_root, "Directory of the built web assets")
      ->envname("DEPOT_WEB_ROOT");
  command->add_option("--threads", config->threads, "HTTP threads (0: one per core)")
      ->envname("DEPOT_THREADS");
  command
      ->add_option("--sweep-interval-ms", config->sweep_interval_ms,
                   "How often background work (unpaid auto-cancel, shipping reminders) runs")
      ->envname("DEPOT_SWEEP_INTERVAL_MS");
  command
      ->add_option("--rate-limit", config->rate_limit,
                   "Requests per second per API key (0: no limit)")
      ->envname("DEPOT_RATE_LIMIT");
  command->add_option("--log-level", config->log_level, "trace, debug, info, warn or error")
      ->envname("DEPOT_LOG_LEVEL");
  command
      ->add_option("--log-format", config->log_format,
                   "text, or json: one JSON object per line (the access log is at debug level)")
      ->envname("DEPOT_LOG_FORMAT");
  command
      ->add_option("--metrics-token", config->metrics_token,
                   "Bearer token GET /metrics requires (empty: open to scrapers)")
      ->envname("DEPOT_METRICS_TOKEN");
  command
      ->add_option("--export-inline-rows", config->export_inline_rows,
                   "Exports of at most this many rows are answered at once; larger ones as jobs")
      ->envname("DEPOT_EXPORT_INLINE_ROWS");
  command
      ->add_option("--session-minutes", config->session_minutes, "How long a console login lasts")
      ->check(CLI::Range(1, 60 * 24 * 30))
      ->envname("DEPOT_SESSION_MINUTES");
  command
      ->add_option("--header-timeout-seconds", config->header_timeout_seconds,
                   "Seconds a client has to send a request's header")
      ->check(CLI::Range(1, 3600))
      ->envname("DEPOT_HEADER_TIMEOUT_SECONDS");
  command
      ->add_option("--body-timeout-seconds", config->body_timeout_seconds,
                   "Seconds a client has to send a request's body")
      ->check(CLI::Range(1, 3600))
      ->envname("DEPOT_BODY_TIMEOUT_SECONDS");
  command
      ->add_option("--idle-timeout-seconds", config->idle_timeout_seconds,
                   "Seconds a kept-alive connection may wait for its next request")
      ->check(CLI::Range(1, 3600))
      ->envname("DEPOT_IDLE_TIMEOUT_SECONDS");
  command
      ->add_option("--max-connections", config->max_connections,
                   "Connections open at once; past it 503 (0: from the open-file limit)")
      ->check(CLI::Range(0, 1'000'000))
      ->envname("DEPOT_MAX_CONNECTIONS");
  command
      ->add_option("--smtp-timeout-seconds", config->smtp_timeout_seconds,
                   "Seconds one mail's SMTP exchange may take, from connecting to the last reply")
      ->check(CLI::Range(std::int64_t{1}, kLongestProviderTimeoutSeconds))
      ->envname("DEPOT_SMTP_TIMEOUT_SECONDS");
  command
      ->add_option("--tracking-timeout-seconds", config->tracking_timeout_seconds,
                   "Seconds one request to the tracking aggregator may take")
      ->check(CLI::Range(std::int64_t{1}, kLongestProviderTimeoutSeconds))
      ->envname("DEPOT_TRACKING_TIMEOUT_SECONDS");
  command->add_flag("--demo", config->demo, "Seed a demo merchant with products and orders");
  command
      ->add_flag("--dispatch,!--no-dispatch", config->dispatch,
                 "Send notifications and webhooks (--no-dispatch: keep them in the outbox)")
      ->envname("DEPOT_DISPATCH");
  command->callback([config, config_file, command, &exit_code] {
    ServeConfig effective;
    if (!config_file->empty()) load_config_file(*config_file, effective);
    // Flags and environment variables override the file, option by option.
    if (command->count("--data")) effective.data_dir = config->data_dir;
    if (command->count("--db")) effective.db = config->db;
    if (command->count("--listen")) effective.listen = config->listen;
    if (command->count("--node")) effective.node = config->node;
    if (command->count("--web-root")) effective.web_root = config->web_root;
    if (command->count("--threads")) effective.threads = config->threads;
    if (command->count("--sweep-interval-ms")) {
      effective.sweep_interval_ms = config->sweep_interval_ms;
    }
    if (command->count("--rate-limit")) effective.rate_limit = config->rate_limit;
    if (command->count("--log-level")) effective.log_level = config->log_level;
    if (command->count("--log-format")) effective.log_format = config->log_format;
    if (command->count("--metrics-token")) effective.metrics_token = config->metrics_token;
    if (command->count("--export-inline-rows")) {
      effective.export_inline_rows = config->export_inline_rows;
    }
    if (command->count("--session-minutes")) effective.session_minutes = config->session_minutes;
    if (command->count("--header-timeout-seconds")) {
      effective.header_timeout_seconds = config->header_timeout_seconds;
    }
    if (command->count("--body-timeout-seconds")) {
      effective.body_timeout_seconds = config->body_timeout_seconds;
    }
    if (command->count("--idle-timeout-seconds")) {
      effective.idle_timeout_seconds = config->idle_timeout_seconds;
    }
    if (command->count("--max-connections")) effective.max_connections = config->max_connections;
    if (command->count("--smtp-timeout-seconds")) {
      effective.smtp_timeout_seconds = config->smtp_timeout_seconds;
    }
    if (command->count("--tracking-timeout-seconds")) {
      effective.tracking_timeout_seconds = config->tracking_timeout_seconds;
    }
    effective.demo = config->demo;
    if (command->count("--dispatch") || command->count("--no-dispatch")) {
      effective.dispatch = config->dispatch;
    }
    exit_code = serve(effective);
  });
}

}  // namespace depot::cli
