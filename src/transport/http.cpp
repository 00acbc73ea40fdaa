// HTTP webhooks through libcurl: one POST, bounded in time, certificates verified, no
// redirects, nothing but http and https.
#include "transport/sigpipe.hpp"
#include "transport/transport.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

#include <curl/curl.h>

// ROUTER_VERSION comes from project(VERSION), set for this file in cmake/install.cmake.

namespace router::transport {
namespace {

// The response body is read and dropped; past this many bytes the transfer stops (the
// status is known by then).
constexpr curl_off_t k_body_limit = 1 << 20;

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using List = std::unique_ptr<curl_slist, ListDeleter>;

// How much of the response body was seen.
struct Sink {
  curl_off_t seen = 0;
  bool cut = false;
};

std::size_t discard(char* /*data*/, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  sink->seen += static_cast<curl_off_t>(size * count);
  if (sink->seen > k_body_limit) {
    sink->cut = true;
    return 0;  // stops the transfer with CURLE_WRITE_ERROR
  }
  return size * count;
}

Outcome failure(std::string error, long status = 0) {
  Outcome outcome;
  outcome.error = std::move(error);
  outcome.status = status;
  return outcome;
}

// One easy handle per thread, reset between requests, so connections to the same receiver
// are reused.
CURL* thread_handle() {
  thread_local Easy easy;
  if (!easy) {
    init();
    easy.reset(curl_easy_init());
  } else {
    curl_easy_reset(easy.get());
  }
  return easy.get();
}

// Adds `line` to `list`; false when out of memory (the list is then unchanged).
bool append(List& list, const std::string& line) {
  curl_slist* head = curl_slist_append(list.get(), line.c_str());
  if (head == nullptr) {
    return false;
  }
  static_cast<void>(list.release());
  list.reset(head);
  return true;
}

bool has_line_break(const std::string& text) {
  return text.find_first_of("\r\n") != std::string::npos;
}

// "HOST:PORT" of `url`, for the "cannot connect" message.
std::string host_and_port(const std::string& url) {
  std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  char* host = nullptr;
  char* port = nullptr;
  std::string result;
  if (parsed && curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(parsed.get(), CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    result = std::string(host) + ":" + port;
  }
  curl_free(host);
  curl_free(port);
  return result.empty() ? url : result;
}

std::string first_line(std::string text) {
  const auto end = text.find_first_of("\r\n");
  if (end != std::string::npos) {
    text.erase(end);
  }
  return text;
}

Outcome describe(CURL* easy, CURLcode code, const Sink& sink, const char* buffer,
                 const HttpRequest& request) {
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && sink.cut && status != 0)) {
    if (status >= 200 && status < 300) {
      Outcome outcome;
      outcome.ok = true;
      outcome.status = status;
      return outcome;
    }
    return failure("HTTP " + std::to_string(status), status);
  }
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return failure("timed out after " + std::to_string(request.timeout.count()) + "s");
  }
  if (code == CURLE_COULDNT_CONNECT) {
    long os_error = 0;
    curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_error);
    std::string error = "cannot connect to " + host_and_port(request.url);
    if (os_error != 0) {
      error += std::string(": ") + std::strerror(static_cast<int>(os_error));
    }
    return failure(std::move(error));
  }
  std::string error = first_line(buffer);
  return failure(error.empty() ? curl_easy_strerror(code) : std::move(error));
}

}  // namespace

Outcome post(const HttpRequest& request) {
  List headers;
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || has_line_break(name) || has_line_break(value)) {
      return failure("invalid header name or value: " + first_line(name));
    }
    std::string line = name;
    line.append(": ").append(value);
    if (!append(headers, line)) {
      return failure("out of memory");
    }
  }
  // curl sends "Expect: 100-continue" with larger bodies and waits for an answer first.
  if (!append(headers, "Expect:")) {
    return failure("out of memory");
  }

  CURL* easy = thread_handle();
  if (easy == nullptr) {
    return failure("cannot start libcurl");
  }
  char buffer[CURL_ERROR_SIZE] = {};
  Sink sink;
  // 0 would mean no limit at all to curl.
  const long seconds = std::max(1L, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, buffer);
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT, seconds);
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, seconds);
  curl_easy_setopt(easy, CURLOPT_USERAGENT, "router/" ROUTER_VERSION);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &sink);

  CURLcode code = CURLE_OK;
  {
    const SigpipeGuard no_sigpipe;  // OpenSSL may write to a socket the server closed
    code = curl_easy_perform(easy);
  }
  Outcome outcome = describe(easy, code, sink, buffer, request);
  // The handle outlives this call: it must not keep pointers into this frame.
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  return outcome;
}

void init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace router::transport
