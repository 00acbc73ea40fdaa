#include <doctest/doctest.h>

#include <deque>

#include <SQLiteCpp/Database.h>

#include "../core/fixtures.hpp"
#include "engine/notify.hpp"
#include "engine/notify_message.hpp"
#include "store/database.hpp"
#include "store/delivery_store.hpp"
#include "store/events.hpp"
#include "store/sql.hpp"

using namespace router;
using namespace router::core::fixtures;

namespace {

// A configuration with two agents (only sue has an email), a webhook and two rules:
// offers email the agent, offers and expiries go to the webhook.
core::Config notifying() {
  core::Config c =
      config({agent("sue"), agent("bob")},
             {pool("sales", core::Strategy::round_robin, {"sue", "bob"})}, {rule("all", "sales")});
  c.agents[0].name = "Sue";
  c.agents[0].email = "sue@example.com";
  core::Notifications n;
  n.from = "Leads <leads@example.com>";
  n.retry.attempts = 3;
  n.retry.first = std::chrono::seconds{30};
  n.retry.max = std::chrono::seconds{600};
  core::Webhook w;
  w.name = "crm";
  w.url = "http://127.0.0.1:9/hook";
  n.webhooks.push_back(w);
  core::NotificationRule mail;
  mail.events = {"offered"};
  mail.email = "agent";
  mail.subject = "Lead {{lead}} for {{agent_name}}";
  mail.body = "{{attributes.brand}} by {{deadline_local}}";
  n.rules.push_back(mail);
  core::NotificationRule hook;
  hook.events = {"offered", "expired"};
  hook.webhook = "crm";
  n.rules.push_back(hook);
  c.notifications = n;
  c.reindex();
  return c;
}

std::int64_t add_event(store::Database& db, const std::string& lead, const char* when,
                       const std::string& type, std::optional<std::string> agent,
                       const std::string& detail = R"({"reason":"rule"})") {
  store::EventStore events(db);
  store::NewEvent e;
  e.lead_id = lead;
  e.at = at(when);
  e.type = type;
  e.agent = std::move(agent);
  e.pool = "sales";
  e.rule = "all";
  e.detail = detail;
  return events.append(e, "web");  // the source of every lead these tests insert
}

// Transports that answer from a script and record what they were given.
struct Fake {
  std::deque<bool> answers;  // consumed per call; empty: ok
  std::vector<std::string> mails;
  std::vector<transport::HttpRequest> posts;
  engine::Senders senders() {
    engine::Senders s;
    s.mail = [this](const std::string&, std::string_view m, std::chrono::seconds) {
      mails.emplace_back(m);
      return next();
    };
    s.post = [this](const transport::HttpRequest& r) {
      posts.push_back(r);
      return next();
    };
    s.env = [](const std::string&) -> std::optional<std::string> { return "s3cret"; };
    return s;
  }
  transport::Outcome next() {
    bool ok = true;
    if (!answers.empty()) {
      ok = answers.front();
      answers.pop_front();
    }
    return ok ? transport::Outcome{true, "", 200} : transport::Outcome{false, "HTTP 500", 500};
  }
};

std::vector<engine::DeliveryNews> run(store::Database& db, const core::Config& c, const char* now,
                                      Fake& fake) {
  const util::FixedClock clock(at(now));
  util::Random random(7);
  std::vector<engine::DeliveryNews> news;
  engine::notify(
      db, c, clock, random, {}, [&](const engine::DeliveryNews& n) { news.push_back(n); },
      fake.senders());
  return news;
}

}  // namespace

TEST_SUITE("engine.notify") {
  TEST_CASE("backoff doubles from first, stops at max, and jitters within [half, whole)") {
    core::RetryPolicy r;
    r.first = std::chrono::seconds{30};
    r.max = std::chrono::seconds{3600};
    CHECK(engine::backoff(r, 1, 1.0).count() == 30);
    CHECK(engine::backoff(r, 1, 0.0).count() == 15);
    CHECK(engine::backoff(r, 2, 1.0).count() == 60);
    CHECK(engine::backoff(r, 4, 1.0).count() == 240);
    CHECK(engine::backoff(r, 8, 1.0).count() == 3600);
    CHECK(engine::backoff(r, 60, 0.5).count() == 2700);
  }

  TEST_CASE("each event is queued once per matching rule; the agent's email is its address") {
    auto db = store::Database::in_memory();
    db.sql().exec(
        R"(INSERT INTO leads(id, source, attributes) VALUES ('L1', 'web', '{"brand":"vw"}'))");
    const core::Config c = notifying();
    add_event(db, "L1", "2026-12-03T10:00:00Z", "received", std::nullopt);
    add_event(db, "L1", "2026-12-03T10:00:00Z", "offered", "sue",
              R"({"reason":"rule","deadline":"2026-12-03T10:15:00Z"})");
    add_event(db, "L1", "2026-12-03T10:15:00Z", "offered", "bob");  // bob has no email
    Fake fake;
    const auto news = run(db, c, "2026-12-03T10:16:00Z", fake);
    // sue's email, then the webhook's two offers in event order.
    REQUIRE(news.size() == 3);
    REQUIRE(fake.mails.size() == 1);
    const std::string& m = fake.mails[0];
    CHECK(m.find("To: sue@example.com\n") != std::string::npos);
    CHECK(m.find("Subject: Lead L1 for Sue\n") != std::string::npos);
    CHECK(m.find("\n\nvw by 2026-12-03 10:15 UTC\n") != std::string::npos);
    CHECK(m.find("Message-ID: <" + news[0].key + "@example.com>") != std::string::npos);
    REQUIRE(fake.posts.size() == 2);
    CHECK(fake.posts[0].body.find(R"("seq":2)") != std::string::npos);
    CHECK(fake.posts[1].body.find(R"("seq":3)") != std::string::npos);
    bool signed_ = false;
    for (const auto& [name, value] : fake.posts[0].headers) {
      signed_ = signed_ || name == "X-Router-Signature";
      if (name == "X-Router-Delivery") {
        CHECK(value == news[1].key);
      }
    }
    CHECK_FALSE(signed_);  // no secret configured: unsigned
    // A second run finds nothing new.
    CHECK(run(db, c, "2026-12-03T10:17:00Z", fake).empty());
  }

  TEST_CASE("a failing delivery holds back later ones to its target, not other targets") {
    auto db = store::Database::in_memory();
    db.sql().exec("INSERT INTO leads(id, source) VALUES ('L1', 'web'), ('L2', 'web')");
    const core::Config c = notifying();
    add_event(db, "L1", "2026-12-03T10:00:00Z", "offered", "sue");  // email + webhook
    add_event(db, "L2", "2026-12-03T10:00:00Z", "expired", "sue");  // webhook
    Fake fake;
    fake.answers = {true, false};  // the email goes, the first webhook post fails
    auto news = run(db, c, "2026-12-03T10:01:00Z", fake);
    REQUIRE(news.size() == 2);
    CHECK(news[0].outcome == engine::DeliveryNews::Outcome::sent);
    CHECK(news[1].outcome == engine::DeliveryNews::Outcome::retry);
    CHECK(news[1].error == "HTTP 500");
    REQUIRE(news[1].next_at);
    CHECK(*news[1].next_at >= at("2026-12-03T10:01:15Z"));
    CHECK(*news[1].next_at <= at("2026-12-03T10:01:30Z"));
    CHECK(fake.posts.size() == 1);  // L2's post waits behind L1's
    // Not yet due: nothing goes.
    CHECK(run(db, c, "2026-12-03T10:01:10Z", fake).empty());
    // Due: L1's post first, then L2's.
    news = run(db, c, "2026-12-03T10:05:00Z", fake);
    REQUIRE(news.size() == 2);
    CHECK(news[0].lead == "L1");
    CHECK(news[0].attempt == 2);
    CHECK(news[1].lead == "L2");
    CHECK(fake.posts.size() == 3);
  }

  TEST_CASE("after retry.attempts failures a delivery is failed, listed and queued again") {
    auto db = store::Database::in_memory();
    db.sql().exec("INSERT INTO leads(id, source) VALUES ('L1', 'web')");
    const core::Config c = notifying();
    add_event(db, "L1", "2026-12-03T10:00:00Z", "expired", "sue");
    Fake fake;
    fake.answers = {false, false, false};
    CHECK(run(db, c, "2026-12-03T10:00:00Z", fake).at(0).outcome ==
          engine::DeliveryNews::Outcome::retry);
    CHECK(run(db, c, "2026-12-03T11:00:00Z", fake).at(0).outcome ==
          engine::DeliveryNews::Outcome::retry);
    CHECK(run(db, c, "2026-12-03T12:00:00Z", fake).at(0).outcome ==
          engine::DeliveryNews::Outcome::failed);
    CHECK(run(db, c, "2026-12-03T13:00:00Z", fake).empty());
    store::DeliveryStore ds(db);
    const auto failed = ds.failed(0);
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].attempts == 3);
    CHECK(failed[0].last_error == "HTTP 500");
    CHECK(failed[0].lead_id == "L1");
    CHECK(ds.requeue_failed(at("2026-12-03T13:00:00Z")) == 1);
    const auto news = run(db, c, "2026-12-03T13:00:00Z", fake);
    REQUIRE(news.size() == 1);
    CHECK(news[0].outcome == engine::DeliveryNews::Outcome::sent);
    CHECK(ds.count_by_state() == std::map<std::string, std::int64_t>{{"done", 1}});
  }

  TEST_CASE("events older than max_age are not delivered; a claim that lapsed is taken over") {
    auto db = store::Database::in_memory();
    db.sql().exec("INSERT INTO leads(id, source) VALUES ('L1', 'web')");
    const core::Config c = notifying();
    add_event(db, "L1", "2026-12-01T10:00:00Z", "expired", "sue");
    Fake fake;
    util::Random random(1);
    const auto summary = engine::queue_deliveries(db, c, at("2026-12-03T10:00:00Z"), random);
    CHECK(summary.too_old == 1);
    CHECK(summary.queued == 0);

    add_event(db, "L1", "2026-12-03T10:00:00Z", "expired", "sue");
    engine::queue_deliveries(db, c, at("2026-12-03T10:00:00Z"), random);
    store::DeliveryStore ds(db);
    const auto lease = at("2026-12-03T10:01:10Z");
    {
      store::WriteTransaction tx(db);
      REQUIRE(ds.claim(at("2026-12-03T10:00:00Z"), lease));
      // While it is being sent nobody else gets it.
      CHECK_FALSE(ds.claim(at("2026-12-03T10:00:30Z"), lease));
      tx.commit();
    }
    // The run that claimed it died; after the lease another run sends it again.
    const auto news = run(db, c, "2026-12-03T10:02:00Z", fake);
    REQUIRE(news.size() == 1);
    CHECK(news[0].attempt == 2);
  }

  TEST_CASE("a backlog is queued a page at a time, stopping between pages when told") {
    auto db = store::Database::in_memory();
    const core::Config c = notifying();
    for (int i = 0; i < 600; ++i) {
      add_event(db, "L" + std::to_string(i), "2026-12-03T10:00:00Z", "expired", "sue");
    }
    util::Random random(1);
    const auto first =
        engine::queue_deliveries(db, c, at("2026-12-03T10:00:00Z"), random, [] { return false; });
    CHECK(first.queued == 500);
    const auto rest = engine::queue_deliveries(db, c, at("2026-12-03T10:00:00Z"), random);
    CHECK(rest.queued == 100);
    store::DeliveryStore ds(db);
    CHECK(ds.count_by_state() == std::map<std::string, std::int64_t>{{"pending", 600}});
  }

  TEST_CASE("email headers: an injected newline stays in the subject, non-ASCII is encoded") {
    const std::string m = engine::compose_email("Leads <leads@example.com>", "sue@example.com",
                                                "Hi\r\nBcc: evil@example.com", "body", "k1",
                                                at("2026-12-03T10:00:00Z"));
    CHECK(m.find("\nBcc:") == std::string::npos);
    CHECK(m.find("Subject: Hi  Bcc: evil@example.com\n") != std::string::npos);
    CHECK(m.find("Date: Thu, 03 Dec 2026 10:00:00 +0000\n") != std::string::npos);
    const std::string u =
        engine::compose_email("a@b.c", "d@e.f", "Grüße", "x", "k", at("2026-12-03T10:00:00Z"));
    CHECK(u.find("Subject: =?UTF-8?B?R3LDvMOfZQ==?=\n") != std::string::npos);
  }
}
