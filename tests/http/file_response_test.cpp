// Responses whose body is a file (Response::file, the export downloads) through the real server on
// loopback: the bytes and Content-Length on the wire, HEAD, keep-alive afterwards, and a file that
// is gone answering 404.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fstream>
#include <thread>

#include "http/server.h"
#include "support/bare_router.h"

namespace depot::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

class FileResponseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Over a megabyte, so it is written in many pieces, and not one repeated byte.
    for (int i = 0; content.size() < (1 << 20) + 12345; ++i) {
      content += "line " + std::to_string(i) + " 中文,\"x\"\r\n";
    }
    std::ofstream(dir.file("export.csv"), std::ios::binary) << content;
    for (auto [path, file] : {std::pair{"/file", dir.file("export.csv")},
                              std::pair{"/gone", dir.file("no-such-file.csv")}}) {
      router.add(
          Method::get, path,
          [served = file](Request&) -> asio::awaitable<Response> {
            Response response{200, "text/csv; charset=utf-8", "ignored", {}};
            response.file = served;
            response.with_header("Content-Disposition", "attachment; filename=\"x.csv\"");
            co_return response;
          },
          Access::public_);
    }
    server.start();
    runner = std::thread([this] { io.run(); });
    asio::connect(socket, std::vector{server_endpoint()});
  }
  void TearDown() override {
    socket.close();
    server.stop();
    runner.join();
    bare.store.close();
  }

  asio::ip::tcp::endpoint server_endpoint() {
    return {asio::ip::make_address("127.0.0.1"), server.port()};
  }

  bhttp::response<bhttp::string_body> ask(bhttp::verb verb, const std::string& target) {
    bhttp::request<bhttp::empty_body> request{verb, target, 11};
    request.set(bhttp::field::host, "127.0.0.1");
    bhttp::write(socket, request);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(8 << 20);
    parser.skip(verb == bhttp::verb::head);
    bhttp::read(socket, buffer, parser);
    return parser.release();
  }

  testing::BareRouter bare;
  testing::TempDir& dir = bare.dir;
  Router& router = bare.router;
  asio::io_context io{1};
  Server server{{&io}, {asio::ip::make_address("127.0.0.1"), 0}, router, ServerOptions{}};
  std::thread runner;
  asio::io_context client_io;
  asio::ip::tcp::socket socket{client_io};
  beast::flat_buffer buffer;
  std::string content;
};

TEST_F(FileResponseTest, SendsTheFileWithItsLengthAndKeepsTheConnection) {
  auto got = ask(bhttp::verb::get, "/file");
  EXPECT_EQ(got.result_int(), 200);
  EXPECT_EQ(got[bhttp::field::content_type], "text/csv; charset=utf-8");
  EXPECT_EQ(got[bhttp::field::content_length], std::to_string(content.size()));
  EXPECT_EQ(got["Content-Disposition"], "attachment; filename=\"x.csv\"");
  EXPECT_EQ(got["X-Content-Type-Options"], "nosniff");
  EXPECT_TRUE(got.body() == content) << "the file's bytes, not the response's body";
  EXPECT_TRUE(got.keep_alive());

  auto head = ask(bhttp::verb::head, "/file");  // the same connection
  EXPECT_EQ(head.result_int(), 200);
  EXPECT_EQ(head[bhttp::field::content_length], std::to_string(content.size()));
  EXPECT_TRUE(head.body().empty());

  auto again = ask(bhttp::verb::get, "/file");
  EXPECT_TRUE(again.body() == content);
}

TEST_F(FileResponseTest, AnswersAFileThatIsGoneWithA404Problem) {
  auto gone = ask(bhttp::verb::get, "/gone");
  EXPECT_EQ(gone.result_int(), 404);
  EXPECT_EQ(gone[bhttp::field::content_type], "application/problem+json");
  EXPECT_NE(gone.body().find("the file is no longer there"), std::string::npos) << gone.body();
  EXPECT_EQ(ask(bhttp::verb::get, "/file").result_int(), 200) << "the connection goes on";
}

}  // namespace
}  // namespace depot::http
