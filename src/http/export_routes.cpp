// Exports (RPT-2): GET /api/v1/exports/{kind}.{csv|xlsx}?from=&to= starts an export and answers
// its file at once when it holds at most `inline_rows` rows, else 202 with the job to follow;
// the job's page and its download. The file is sent from disk (Response::file).
#include <boost/asio/awaitable.hpp>

#include "http/await.h"
#include "http/json_input.h"
#include "http/json_output.h"
#include "http/problem.h"
#include "http/routes.h"

namespace depot::http {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::string job_url(std::int64_t id) { return "/api/v1/exports/" + std::to_string(id); }

json::object to_json(const ExportJob& job) {
  json::object progress{{"rows_done", job.rows_done}};
  progress["rows_total"] = job.rows_total ? json::value(*job.rows_total) : json::value(nullptr);
  bool done = job.status == ExportStatus::done;
  return {
      {"id", job.id},
      {"kind", to_string(job.kind)},
      {"format", to_string(job.format)},
      {"from", job.from},
      {"to", job.to},
      {"status", to_string(job.status)},
      {"progress", std::move(progress)},
      {"file_name", job.file_name},
      {"download_url", done ? json::value(job_url(job.id) + "/download") : json::value(nullptr)},
      {"error", text_or_null(job.error)},
      {"created_at", format_instant(job.created_at)},
      {"finished_at", instant_or_null(job.finished_at)}};
}

Response job_response(int status, const ExportJob& job) {
  Response response = json_response(status, to_json(job));
  if (status == 202) response.with_header("Location", job_url(job.id));
  return response;
}

// The file of a finished export, as an attachment under its own name.
Response file_response(const ExportDownload& download) {
  Response response{200, download.content_type, "", {}};
  response.file = download.path;
  response.with_header("Content-Disposition",
                       "attachment; filename=\"" + download.file_name + "\"");
  return response;
}

Response download_answer(ExportService& exports, const Actor& actor, std::int64_t id) {
  Result<ExportDownload> download = exports.download(actor, id);
  if (!download.ok()) return problem(download.error());
  return file_response(*download).with_header("Content-Location", job_url(id) + "/download");
}

}  // namespace

void add_export_routes(Router& router, ExportService& exports, std::int64_t inline_rows) {
  for (ExportKind kind :
       {ExportKind::orders, ExportKind::ledger, ExportKind::notifications, ExportKind::dashboard}) {
    for (ExportFormat format : {ExportFormat::csv, ExportFormat::xlsx}) {
      std::string path =
          "/api/v1/exports/" + std::string(to_string(kind)) + "." + std::string(to_string(format));
      router.add(
          Method::get, path,
          [&exports, inline_rows, kind, format](Request& req) -> asio::awaitable<Response> {
            ExportRequest request{kind, format, query_text(req, "from"), query_text(req, "to")};
            Result<ExportJob> job = exports.start(req.actor, request);
            if (!job.ok()) co_return problem(job.error());
            Result<ExportJob> settled = co_await await_result<ExportJob>([&](auto done) {
              exports.when_settled(req.actor, job->id, inline_rows, std::move(done));
            });
            if (!settled.ok()) co_return problem(settled.error());
            if (settled->status == ExportStatus::failed) {
              co_return problem(error(ErrorCode::internal, "the export failed"));
            }
            // Over the limit answers 202 even when the runner has already finished it.
            bool small = settled->rows_total && *settled->rows_total <= inline_rows;
            if (settled->status != ExportStatus::done || !small) {
              co_return job_response(202, *settled);
            }
            co_return download_answer(exports, req.actor, settled->id);
          });
    }
  }

  router.add(Method::get, "/api/v1/exports", [&exports](Request& req) -> asio::awaitable<Response> {
    json::array items;
    for (const ExportJob& job : exports.list(req.actor)) items.push_back(to_json(job));
    co_return json_response(200, json::object{{"items", std::move(items)}});
  });

  router.add(Method::get, "/api/v1/exports/{id}",
             [&exports](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "export");
               if (!id.ok()) co_return problem(id.error());
               Result<ExportJob> job = exports.find(req.actor, *id);
               if (!job.ok()) co_return problem(job.error());
               co_return job_response(200, *job);
             });

  router.add(Method::get, "/api/v1/exports/{id}/download",
             [&exports](Request& req) -> asio::awaitable<Response> {
               Result<std::int64_t> id = id_param(req, "export");
               if (!id.ok()) co_return problem(id.error());
               co_return download_answer(exports, req.actor, *id);
             });
}

}  // namespace depot::http
