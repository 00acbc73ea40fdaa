// HTTP webhooks through libcurl: one POST, bounded in time, certificates verified, no
// redirects, nothing but http and https.
//
// libcurl is loaded with dlopen on the first POST, not linked: linking it made the dynamic
// loader map curl's 30 dependencies (GnuTLS, Kerberos, LDAP...) at every start of every
// command, 10 ms before main (bench/README.md). curl's header still gives the types and
// constants; the functions come from a table filled by dlsym.
#include "transport/sigpipe.hpp"
#include "transport/transport.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

#include <curl/curl.h>
#include <dlfcn.h>

// ROUTER_VERSION comes from project(VERSION), set for this file in cmake/install.cmake.

namespace router::transport {
namespace {

constexpr const char* k_libcurl = "libcurl.so.4";

// The libcurl functions this file calls.
struct Curl {
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_reset) easy_reset = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_perform) easy_perform = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
  decltype(&::curl_url) url = nullptr;
  decltype(&::curl_url_cleanup) url_cleanup = nullptr;
  decltype(&::curl_url_set) url_set = nullptr;
  decltype(&::curl_url_get) url_get = nullptr;
  decltype(&::curl_free) free = nullptr;
};

// Filled once libcurl is loaded and initialised; never unloaded (thread_local handles are
// cleaned up through it at thread exit).
const Curl* g_curl = nullptr;

template <typename Function>
bool resolve(void* library, const char* name, Function& function, std::string& error) {
  dlerror();
  void* symbol = dlsym(library, name);
  if (symbol == nullptr) {
    const char* why = dlerror();
    error = std::string("cannot load ") + k_libcurl + ": " + (why != nullptr ? why : name);
    return false;
  }
  function = reinterpret_cast<Function>(symbol);  // NOLINT: dlsym's documented use
  return true;
}

// The loaded library, or nullptr with `error` set. A failure is not remembered: the next
// attempt (a retry, minutes later in `notify --follow`) tries again.
const Curl* load_curl(std::string& error) {
  static std::mutex mutex;
  const std::lock_guard<std::mutex> lock(mutex);
  if (g_curl != nullptr) {
    return g_curl;
  }
  void* library = dlopen(k_libcurl, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = dlerror();
    error = std::string("cannot load ") + k_libcurl + ": " + (why != nullptr ? why : "unknown error");
    return nullptr;
  }
  static Curl curl;
  Curl loaded;
  if (!resolve(library, "curl_global_init", loaded.global_init, error) ||
      !resolve(library, "curl_easy_init", loaded.easy_init, error) ||
      !resolve(library, "curl_easy_cleanup", loaded.easy_cleanup, error) ||
      !resolve(library, "curl_easy_reset", loaded.easy_reset, error) ||
      !resolve(library, "curl_easy_setopt", loaded.easy_setopt, error) ||
      !resolve(library, "curl_easy_perform", loaded.easy_perform, error) ||
      !resolve(library, "curl_easy_getinfo", loaded.easy_getinfo, error) ||
      !resolve(library, "curl_easy_strerror", loaded.easy_strerror, error) ||
      !resolve(library, "curl_slist_append", loaded.slist_append, error) ||
      !resolve(library, "curl_slist_free_all", loaded.slist_free_all, error) ||
      !resolve(library, "curl_url", loaded.url, error) ||
      !resolve(library, "curl_url_cleanup", loaded.url_cleanup, error) ||
      !resolve(library, "curl_url_set", loaded.url_set, error) ||
      !resolve(library, "curl_url_get", loaded.url_get, error) ||
      !resolve(library, "curl_free", loaded.free, error)) {
    dlclose(library);
    return nullptr;
  }
  // Thread-safe since curl 7.84; called under the mutex all the same.
  const CURLcode code = loaded.global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) {
    error = std::string("cannot start libcurl: ") + loaded.easy_strerror(code);
    dlclose(library);
    return nullptr;
  }
  curl = loaded;
  g_curl = &curl;
  return g_curl;
}

// The response body is read and dropped; past this many bytes the transfer stops (the
// status is known by then).
constexpr curl_off_t k_body_limit = 1 << 20;

// Handles and lists exist only once g_curl is set.
struct EasyDeleter {
  void operator()(CURL* easy) const { g_curl->easy_cleanup(easy); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { g_curl->slist_free_all(list); }
};
struct UrlDeleter {
  void operator()(CURLU* url) const { g_curl->url_cleanup(url); }
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
CURL* thread_handle(const Curl& curl) {
  thread_local Easy easy;
  if (!easy) {
    easy.reset(curl.easy_init());
  } else {
    curl.easy_reset(easy.get());
  }
  return easy.get();
}

// Adds `line` to `list`; false when out of memory (the list is then unchanged).
bool append(const Curl& curl, List& list, const std::string& line) {
  curl_slist* head = curl.slist_append(list.get(), line.c_str());
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
std::string host_and_port(const Curl& curl, const std::string& url) {
  std::unique_ptr<CURLU, UrlDeleter> parsed(curl.url());
  char* host = nullptr;
  char* port = nullptr;
  std::string result;
  if (parsed && curl.url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl.url_get(parsed.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl.url_get(parsed.get(), CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    result = std::string(host) + ":" + port;
  }
  curl.free(host);
  curl.free(port);
  return result.empty() ? url : result;
}

std::string first_line(std::string text) {
  const auto end = text.find_first_of("\r\n");
  if (end != std::string::npos) {
    text.erase(end);
  }
  return text;
}

Outcome describe(const Curl& curl, CURL* easy, CURLcode code, const Sink& sink, const char* buffer,
                 const HttpRequest& request) {
  long status = 0;
  curl.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
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
    curl.easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_error);
    std::string error = "cannot connect to " + host_and_port(curl, request.url);
    if (os_error != 0) {
      error += std::string(": ") + std::strerror(static_cast<int>(os_error));
    }
    return failure(std::move(error));
  }
  std::string error = first_line(buffer);
  return failure(error.empty() ? curl.easy_strerror(code) : std::move(error));
}

}  // namespace

Outcome post(const HttpRequest& request) {
  std::string load_error;
  const Curl* loaded = load_curl(load_error);
  if (loaded == nullptr) {
    return failure(std::move(load_error));
  }
  const Curl& curl = *loaded;
  List headers;
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || has_line_break(name) || has_line_break(value)) {
      return failure("invalid header name or value: " + first_line(name));
    }
    std::string line = name;
    line.append(": ").append(value);
    if (!append(curl, headers, line)) {
      return failure("out of memory");
    }
  }
  // curl sends "Expect: 100-continue" with larger bodies and waits for an answer first.
  if (!append(curl, headers, "Expect:")) {
    return failure("out of memory");
  }

  CURL* easy = thread_handle(curl);
  if (easy == nullptr) {
    return failure("cannot start libcurl");
  }
  char buffer[CURL_ERROR_SIZE] = {};
  Sink sink;
  // 0 would mean no limit at all to curl.
  const long seconds = std::max(1L, static_cast<long>(request.timeout.count()));
  curl.easy_setopt(easy, CURLOPT_ERRORBUFFER, buffer);
  curl.easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl.easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl.easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl.easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl.easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  curl.easy_setopt(easy, CURLOPT_TIMEOUT, seconds);
  curl.easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, seconds);
  curl.easy_setopt(easy, CURLOPT_USERAGENT, "router/" ROUTER_VERSION);
  curl.easy_setopt(easy, CURLOPT_HTTPHEADER, headers.get());
  curl.easy_setopt(easy, CURLOPT_POST, 1L);
  curl.easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl.easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
  curl.easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
  curl.easy_setopt(easy, CURLOPT_WRITEDATA, &sink);

  CURLcode code = CURLE_OK;
  {
    const SigpipeGuard no_sigpipe;  // OpenSSL may write to a socket the server closed
    code = curl.easy_perform(easy);
  }
  Outcome outcome = describe(curl, easy, code, sink, buffer, request);
  // The handle outlives this call: it must not keep pointers into this frame.
  curl.easy_setopt(easy, CURLOPT_ERRORBUFFER, nullptr);
  curl.easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  return outcome;
}

}  // namespace router::transport
