#pragma once
// Delivery of notifications to the outside: mail through the system's sendmail interface,
// HTTP webhooks through libcurl, HMAC-SHA256 signatures through OpenSSL's libcrypto; both
// libraries are loaded (dlopen) on first use, so commands that send nothing never map them. The only place
// that includes curl or OpenSSL headers. No database, no configuration: plain values in,
// an outcome out; the engine decides what to do with it.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace router::transport {

// What became of one attempt.
struct Outcome {
  bool ok = false;    // the MTA accepted the message / the server answered 2xx
  std::string error;  // when !ok: one line, e.g. "HTTP 500", "timed out after 5s",
                      // "sendmail exited with status 75", "cannot run /usr/sbin/sendmail: ..."
  long status = 0;    // HTTP status, or sendmail's exit status; 0 when none
};

// Runs `sendmail -t -i` (recipients from the headers) with `message` (a complete RFC 5322
// message, CRLF or LF line ends) on its standard input. ok when it exits 0 within
// `timeout`; a sendmail still running then is killed.
Outcome send_mail(const std::string& sendmail, std::string_view message,
                  std::chrono::seconds timeout);

// One HTTP POST.
struct HttpRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // sent as "Name: value"
  std::string body;
  std::chrono::seconds timeout{10};  // connect + whole transfer
};

// POSTs `request`, verifying HTTPS certificates against the system's store. ok on 2xx.
// Never throws for network failures; they become the outcome's error, and so does a
// libcurl that cannot be loaded ("cannot load libcurl.so.4: ..."). Thread-safe: the first
// call loads and initialises libcurl.
Outcome post(const HttpRequest& request);

// Lower-case hex of HMAC-SHA256(key, data).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace router::transport
