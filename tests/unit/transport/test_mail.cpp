// send_mail against tests/e2e/fake_sendmail.sh: what it is given, what its exit status
// becomes, and what happens when it is missing, slow or quits early.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include <csignal>

#include <sys/stat.h>

#include "doubles.hpp"
#include "transport/transport.hpp"

using namespace std::chrono_literals;
using router::test::Env;
using router::test::slurp;
using router::test::TempDir;
using router::transport::send_mail;

namespace {

const std::string k_message =
    "From: Leads <leads@example.com>\r\nTo: ann@example.com\r\nSubject: New lead 7\r\n"
    "Message-ID: <e1.offered@router>\r\n\r\nClaim it.\r\n";

std::string fake_sendmail() {
  return (router::test::e2e_dir() / "fake_sendmail.sh").string();
}

}  // namespace

TEST_SUITE("transport.mail") {
  TEST_CASE("sendmail gets -t -i and the message on its standard input; exit 0 is ok") {
    const TempDir dir;
    const Env where("FAKE_SENDMAIL_DIR", dir.path().c_str());
    const Env status("FAKE_SENDMAIL_STATUS", nullptr);
    const auto outcome = send_mail(fake_sendmail(), k_message, 10s);
    CHECK(outcome.ok);
    CHECK(outcome.error.empty());
    CHECK(outcome.status == 0);
    CHECK(slurp(dir / "001.args") == "-t\n-i\n");
    CHECK(slurp(dir / "001.eml") == k_message);
  }

  TEST_CASE("a large message is written whole") {
    const TempDir dir;
    const Env where("FAKE_SENDMAIL_DIR", dir.path().c_str());
    const Env status("FAKE_SENDMAIL_STATUS", nullptr);
    const std::string message = k_message + std::string(1 << 20, 'x') + "\r\n";
    const auto outcome = send_mail(fake_sendmail(), message, 10s);
    CHECK(outcome.ok);
    CHECK(slurp(dir / "001.eml") == message);
  }

  TEST_CASE("a non-zero exit is an error with the status and sendmail's first line") {
    const TempDir dir;
    const Env where("FAKE_SENDMAIL_DIR", dir.path().c_str());
    const Env status("FAKE_SENDMAIL_STATUS", "75");
    const auto outcome = send_mail(fake_sendmail(), k_message, 10s);
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.status == 75);
    CHECK(outcome.error == "sendmail exited with status 75: fake-sendmail: status 75");
  }

  TEST_CASE("a missing sendmail is an error naming it, not an exception") {
    const auto outcome = send_mail("/nonexistent/sendmail", k_message, 10s);
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.status == 0);
    CHECK(outcome.error == "cannot run /nonexistent/sendmail: No such file or directory");
  }

  TEST_CASE("a sendmail that is not executable is an error naming it") {
    const TempDir dir;
    const auto path = (dir / "sendmail").string();
    { std::ofstream(path) << "#!/bin/sh\nexit 0\n"; }
    ::chmod(path.c_str(), 0644);
    const auto outcome = send_mail(path, k_message, 10s);
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error == "cannot run " + path + ": Permission denied");
  }

  TEST_CASE("a sendmail killed by a signal says which") {
    const TempDir dir;
    const auto path = (dir / "sendmail").string();
    { std::ofstream(path) << "#!/bin/sh\ncat >/dev/null\nkill -TERM $$\n"; }
    ::chmod(path.c_str(), 0755);
    const auto outcome = send_mail(path, k_message, 10s);
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error == "sendmail was killed by signal 15");
  }

  TEST_CASE("a sendmail still running at the timeout is killed, its children too") {
    const TempDir dir;
    const Env where("FAKE_SENDMAIL_DIR", dir.path().c_str());
    const Env status("FAKE_SENDMAIL_STATUS", nullptr);
    const Env slow("FAKE_SENDMAIL_SLEEP", "30");
    const auto start = std::chrono::steady_clock::now();
    const auto outcome = send_mail(fake_sendmail(), k_message, 1s);
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error == "sendmail timed out after 1s");
    CHECK(took >= 1s);
    CHECK(took < 3s);
  }

  TEST_CASE("a sendmail that quits without reading does not kill router with SIGPIPE") {
    const TempDir dir;
    const Env where("FAKE_SENDMAIL_DIR", dir.path().c_str());
    const Env status("FAKE_SENDMAIL_STATUS", "69");
    const Env noread("FAKE_SENDMAIL_NOREAD", "1");
    // Far more than a pipe holds, so the write must meet the closed end.
    const std::string message = k_message + std::string(4 << 20, 'x');
    const auto outcome = send_mail(fake_sendmail(), message, 10s);
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.status == 69);
    CHECK(outcome.error == "sendmail exited with status 69: fake-sendmail: status 69");
  }

  TEST_CASE("a sendmail reaped by someone else is an error, not a wait until the timeout") {
    const TempDir dir;
    const Env where("FAKE_SENDMAIL_DIR", dir.path().c_str());
    const Env status("FAKE_SENDMAIL_STATUS", nullptr);
    // With SIGCHLD ignored the kernel reaps children itself and waitpid finds none.
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;  // NOLINT
    struct sigaction old {};
    ::sigaction(SIGCHLD, &ignore, &old);
    const auto start = std::chrono::steady_clock::now();
    const auto outcome = send_mail(fake_sendmail(), k_message, 10s);
    const auto took = std::chrono::steady_clock::now() - start;
    ::sigaction(SIGCHLD, &old, nullptr);
    CHECK_FALSE(outcome.ok);
    CHECK(outcome.error == "cannot wait for sendmail: No child processes");
    CHECK(took < 5s);
  }

  TEST_CASE("the fake sendmail reads its status from a file a test can change") {
    const TempDir dir;
    const Env where("FAKE_SENDMAIL_DIR", dir.path().c_str());
    const Env status("FAKE_SENDMAIL_STATUS", nullptr);
    { std::ofstream(dir / "status") << "75\n"; }
    CHECK(send_mail(fake_sendmail(), k_message, 10s).status == 75);
    { std::ofstream(dir / "status") << "0\n"; }
    CHECK(send_mail(fake_sendmail(), k_message, 10s).ok);
    CHECK(slurp(dir / "002.eml") == k_message);
  }
}
