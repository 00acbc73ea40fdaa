// post() against tests/e2e/webhook_server.py on 127.0.0.1: what the receiver gets, and how
// 500s, silence and refused connections become one-line errors. Without python3 these
// cases are skipped, and doctest counts them as skipped.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "doubles.hpp"
#include "transport/transport.hpp"

using namespace std::chrono_literals;
using router::test::have_python3;
using router::test::WebhookServer;
using router::transport::HttpRequest;
using router::transport::post;

namespace {

HttpRequest request_to(const std::string& url) {
  HttpRequest request;
  request.url = url;
  request.headers = {{"Content-Type", "application/json"},
                     {"X-Router-Delivery", "e42-r1"},
                     {"X-Router-Signature", "sha256=abc"}};
  request.body = R"({"seq":42,"type":"offered","lead":"7"})";
  request.timeout = 2s;
  return request;
}

// A port on 127.0.0.1 that nothing listens on: bound, then released.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);  // NOLINT
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);  // NOLINT
  ::close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

TEST_SUITE("transport.http") {
  TEST_CASE("a 200 is ok; the receiver gets the exact body and headers" *
            doctest::skip(!have_python3())) {
    const WebhookServer server("200");
    const auto request = request_to(server.url());
    const auto outcome = post(request);
    CHECK(outcome.ok);
    CHECK(outcome.status == 200);
    CHECK(outcome.error.empty());
    const auto requests = server.requests();
    REQUIRE(requests.size() == 1);
    const auto& got = requests[0];
    CHECK(got["method"] == "POST");
    CHECK(got["path"] == "/hook");
    CHECK(got["body"] == request.body);
    const auto& headers = got["headers"];
    CHECK(headers["Content-Type"] == "application/json");
    CHECK(headers["X-Router-Delivery"] == "e42-r1");
    CHECK(headers["X-Router-Signature"] == "sha256=abc");
    CHECK(headers["Content-Length"] == std::to_string(request.body.size()));
    CHECK(headers["User-Agent"] == "router/" ROUTER_TEST_VERSION);
    CHECK_FALSE(headers.contains("Expect"));
  }

  TEST_CASE("a signature the receiver checks matches hmac_sha256_hex" *
            doctest::skip(!have_python3())) {
    const WebhookServer server("200", "s3cret");
    auto request = request_to(server.url());
    request.headers.back().second =
        "sha256=" + router::transport::hmac_sha256_hex("s3cret", request.body);
    CHECK(post(request).ok);
    request.headers.back().second = "sha256=0000";
    const auto refused = post(request);
    CHECK_FALSE(refused.ok);
    CHECK(refused.error == "HTTP 401");
    const auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0]["signature_ok"] == true);
    CHECK(requests[1]["signature_ok"] == false);
  }

  TEST_CASE("a 500 is the error \"HTTP 500\"; the next request gets the next answer" *
            doctest::skip(!have_python3())) {
    const WebhookServer server("500,200");
    const auto failed = post(request_to(server.url()));
    CHECK_FALSE(failed.ok);
    CHECK(failed.status == 500);
    CHECK(failed.error == "HTTP 500");
    CHECK(post(request_to(server.url())).ok);
  }

  TEST_CASE("a redirect is not followed" * doctest::skip(!have_python3())) {
    const WebhookServer server("302");
    const auto outcome = post(request_to(server.url()));
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error == "HTTP 302");
    CHECK(server.requests().size() == 1);
  }

  TEST_CASE("a slow answer within the timeout is ok; one past it times out" *
            doctest::skip(!have_python3())) {
    const WebhookServer server("slow:1,slow:4");
    CHECK(post(request_to(server.url())).ok);
    const auto late = post(request_to(server.url()));
    CHECK_FALSE(late.ok);
    CHECK(late.error == "timed out after 2s");
  }

  TEST_CASE("a server that never answers times out within the timeout and a second" *
            doctest::skip(!have_python3())) {
    const WebhookServer server("hang");
    const auto start = std::chrono::steady_clock::now();
    const auto outcome = post(request_to(server.url()));
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.status == 0);
    CHECK(outcome.error == "timed out after 2s");
    CHECK(took < 3s);
  }

  TEST_CASE("a connection dropped without an answer is an error, not ok" *
            doctest::skip(!have_python3())) {
    const WebhookServer server("close");
    const auto outcome = post(request_to(server.url()));
    CHECK_FALSE(outcome.ok);
    CHECK_FALSE(outcome.error.empty());
    CHECK(outcome.error.find('\n') == std::string::npos);
  }

  TEST_CASE("a refused connection names the address and the reason") {
    const int port = free_port();
    const auto outcome = post(request_to("http://127.0.0.1:" + std::to_string(port) + "/"));
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error ==
          "cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
  }

  TEST_CASE("only http and https are spoken; header values cannot smuggle lines") {
    auto file = request_to("file:///etc/passwd");
    CHECK_FALSE(post(file).ok);
    auto smuggled = request_to("http://127.0.0.1:1/");
    smuggled.headers.emplace_back("X-Evil", "a\r\nHost: elsewhere");
    const auto outcome = post(smuggled);
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error.find("invalid header") == 0);
  }
}
