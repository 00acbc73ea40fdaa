#include "engine/notify.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/template.hpp"
#include "engine/notify_message.hpp"
#include "engine/outbox.hpp"
#include "store/delivery_store.hpp"
#include "store/events.hpp"
#include "store/leads.hpp"
#include "store/sweep_store.hpp"
#include "util/error.hpp"

namespace router::engine {
namespace {

constexpr std::size_t k_notify_page = 500;
constexpr const char* k_cursor = "notify.cursor";
constexpr const char* k_instance = "notify.instance";
// A claim lapses this long after the transport's own timeout, so a run killed mid-delivery
// is retried by the next one.
constexpr std::chrono::seconds k_lease_margin{60};

bool matches(const core::NotificationRule& rule, const std::string& type) {
  return std::any_of(rule.events.begin(), rule.events.end(),
                     [&](const std::string& e) { return e == "all" || e == type; });
}

std::int64_t number_or_zero(const std::optional<std::string>& text) {
  if (!text) {
    return 0;
  }
  return std::strtoll(text->c_str(), nullptr, 10);
}

// This database's part of every idempotency key, made once: two databases that notify the
// same receiver never produce the same key for their own seq 1.
std::string instance_id(store::DeliveryStore& ds, util::Random& random) {
  if (auto id = ds.meta(k_instance)) {
    return *id;
  }
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 12; ++i) {
    id += k_hex[random.below(16)];
  }
  ds.set_meta(k_instance, id);
  return id;
}

std::chrono::seconds lease_for(const core::Notifications& n) {
  auto longest = n.sendmail_timeout;
  for (const auto& w : n.webhooks) {
    longest = std::max(longest, w.timeout);
  }
  return longest + k_lease_margin;
}

std::optional<std::string> getenv_text(const std::string& name) {
  const char* v = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe): read-only
  if (v == nullptr) {
    return std::nullopt;
  }
  return std::string(v);
}

// The webhook's secret, or an error saying why it cannot be had. Empty: unsigned.
struct Secret {
  std::string value;
  std::string error;
};

Secret read_secret(const core::Webhook& w, const Senders& senders) {
  Secret s;
  if (w.secret_env) {
    const auto v = senders.env ? senders.env(*w.secret_env) : getenv_text(*w.secret_env);
    if (!v || v->empty()) {
      s.error = "webhook " + w.name + ": secret_env " + *w.secret_env + " is not set";
    } else {
      s.value = *v;
    }
  } else if (w.secret_file) {
    std::ifstream in(*w.secret_file, std::ios::binary);
    if (!in) {
      s.error = "webhook " + w.name + ": cannot read secret_file " + *w.secret_file + ": " +
                std::strerror(errno);
    } else {
      std::ostringstream text;
      text << in.rdbuf();
      s.value = text.str();
      while (!s.value.empty() && (s.value.back() == '\n' || s.value.back() == '\r')) {
        s.value.pop_back();
      }
      if (s.value.empty()) {
        s.error = "webhook " + w.name + ": secret_file " + *w.secret_file + " is empty";
      }
    }
  }
  return s;
}

transport::Outcome send(const core::Notifications& n, const store::DeliveryRow& d,
                        const Senders& senders) {
  if (d.channel == "email") {
    return senders.mail(n.sendmail, d.payload, n.sendmail_timeout);
  }
  const core::Webhook* w = n.find_webhook(d.target);
  if (w == nullptr) {
    return {false, "webhook " + d.target + " is not in the configuration any more", 0};
  }
  const Secret secret = read_secret(*w, senders);
  if (!secret.error.empty()) {
    return {false, secret.error, 0};
  }
  transport::HttpRequest request;
  request.url = w->url;
  request.body = d.payload;
  request.timeout = w->timeout;
  request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("X-Router-Delivery", d.key);
  request.headers.emplace_back("X-Router-Event", d.type);
  if (!secret.value.empty()) {
    request.headers.emplace_back("X-Router-Signature",
                                 "sha256=" + transport::hmac_sha256_hex(secret.value, d.payload));
  }
  for (const auto& h : w->headers) {
    request.headers.push_back(h);
  }
  return senders.post(request);
}

class Queuer {
public:
  Queuer(store::Database& db, const core::Config& config, util::Time now)
      : m_config(config), m_n(*config.notifications), m_now(now), m_leads(db) {}

  // Queues the deliveries of one event.
  void queue(const store::EventRow& e, const std::string& instance, store::DeliveryStore& ds,
             NotifySummary& summary) {
    m_lead.reset();
    m_looked_up = false;
    const bool too_old = e.at + m_n.max_age < m_now;
    for (std::size_t i = 0; i < m_n.rules.size(); ++i) {
      const core::NotificationRule& rule = m_n.rules[i];
      if (!matches(rule, e.type)) {
        continue;
      }
      const int number = static_cast<int>(i) + 1;
      store::NewDelivery d;
      d.event_seq = e.seq;
      d.rule = number;
      d.key = instance + "-" + std::to_string(e.seq) + "-" + std::to_string(number);
      d.next_at = m_now;
      if (rule.webhook) {
        d.channel = "webhook";
        d.target = *rule.webhook;
      } else {
        d.channel = "email";
        if (!address(rule, e, d.target)) {
          if (e.agent) {
            ++summary.no_address;
          }
          continue;
        }
      }
      if (too_old) {
        ++summary.too_old;
        continue;
      }
      if (d.channel == "webhook") {
        d.payload = event_json(e).dump();
      } else {
        const core::TemplateFields fields = template_fields(e, lead(e.lead_id), m_config);
        d.payload = compose_email(m_n.from, d.target, core::render_template(rule.subject, fields),
                                  core::render_template(rule.body, fields), d.key, m_now);
      }
      if (ds.add(d)) {
        ++summary.queued;
      }
    }
  }

private:
  bool address(const core::NotificationRule& rule, const store::EventRow& e, std::string& out) {
    if (*rule.email != "agent") {
      out = *rule.email;
      return true;
    }
    if (!e.agent) {
      return false;
    }
    const core::Agent* a = m_config.find_agent(*e.agent);
    if (a == nullptr || a->email.empty()) {
      return false;
    }
    out = a->email;
    return true;
  }

  const std::optional<LeadFacts>& lead(const std::string& id) {
    if (!m_looked_up) {
      m_looked_up = true;
      if (const auto row = m_leads.find(id)) {
        m_lead = LeadFacts{row->source, row->attributes};
      }
    }
    return m_lead;
  }

  const core::Config& m_config;
  const core::Notifications& m_n;
  util::Time m_now;
  store::LeadStore m_leads;
  std::optional<LeadFacts> m_lead;
  bool m_looked_up = false;
};

void add(NotifySummary& total, const NotifySummary& s) {
  total.queued += s.queued;
  total.too_old += s.too_old;
  total.no_address += s.no_address;
  total.sent += s.sent;
  total.retried += s.retried;
  total.failed += s.failed;
}

}  // namespace

std::chrono::seconds backoff(const core::RetryPolicy& retry, int attempt, double draw) {
  double wait = static_cast<double>(retry.first.count());
  for (int i = 1; i < attempt && wait < static_cast<double>(retry.max.count()); ++i) {
    wait *= 2;
  }
  wait = std::min(wait, static_cast<double>(retry.max.count()));
  const double jittered = wait * (0.5 + 0.5 * std::clamp(draw, 0.0, 1.0));
  return std::chrono::seconds{std::max<long long>(1, std::llround(jittered))};
}

NotifySummary queue_deliveries(store::Database& db, const core::Config& config, util::Time now,
                               util::Random& random, const std::function<bool()>& more) {
  NotifySummary summary;
  if (!config.notifications || config.notifications->rules.empty()) {
    return summary;
  }
  store::EventStore events(db);
  store::DeliveryStore ds(db);
  Queuer queuer(db, config, now);
  for (;;) {
    store::WriteTransaction tx(db);
    const std::int64_t cursor = number_or_zero(ds.meta(k_cursor));
    const auto page = events.list_after(cursor, k_notify_page);
    if (page.empty()) {
      break;  // nothing written; the transaction rolls back
    }
    const std::string instance = instance_id(ds, random);
    for (const auto& e : page) {
      queuer.queue(e, instance, ds, summary);
    }
    ds.set_meta(k_cursor, std::to_string(page.back().seq));
    tx.commit();
    if (page.size() < k_notify_page || (more && !more())) {
      break;
    }
  }
  return summary;
}

NotifySummary notify(store::Database& db, const core::Config& config, const util::Clock& clock,
                     util::Random& random, const NotifyOptions& options, const DeliverySink& sink,
                     const Senders& senders) {
  const util::Stopwatch stopwatch;
  NotifySummary summary;
  if (!config.notifications || config.notifications->rules.empty()) {
    return summary;
  }
  const core::Notifications& n = *config.notifications;
  const auto within_budget = [&] {
    return !options.budget ||
           stopwatch.seconds() * 1000.0 < static_cast<double>(options.budget->count());
  };
  const auto go_on = [&] {
    return within_budget() && (options.stop == nullptr || !options.stop->load());
  };
  // A large backlog (a bulk assign, notifications just switched on) is queued a page at a
  // time within the budget too.
  summary = queue_deliveries(db, config, clock.now(), random, go_on);
  store::DeliveryStore ds(db);
  store::SweepStore counters(db);
  const auto lease = lease_for(n);
  for (;;) {
    if (options.stop != nullptr && options.stop->load()) {
      break;
    }
    if (!within_budget()) {
      break;
    }
    const util::Time now = clock.now();
    std::optional<store::DeliveryRow> d;
    {
      store::WriteTransaction tx(db);
      d = ds.claim(now, now + lease);
      tx.commit();
    }
    if (!d) {
      break;
    }
    const transport::Outcome outcome = send(n, *d, senders);
    const util::Time done = clock.now();
    DeliveryNews news;
    news.id = d->id;
    news.seq = d->event_seq;
    news.lead = d->lead_id;
    news.type = d->type;
    news.channel = d->channel;
    news.target = d->target;
    news.key = d->key;
    news.attempt = d->attempts;
    {
      store::WriteTransaction tx(db);
      if (outcome.ok) {
        ds.mark_sent(d->id, d->attempts, done);
        counters.add_counters({{"notify.sent", 1}});
        news.outcome = DeliveryNews::Outcome::sent;
        ++summary.sent;
      } else if (d->attempts >= n.retry.attempts) {
        ds.mark_failed(d->id, d->attempts, done, outcome.error);
        counters.add_counters({{"notify.failed", 1}});
        news.outcome = DeliveryNews::Outcome::failed;
        news.error = outcome.error;
        ++summary.failed;
      } else {
        random.restart_for(d->key, static_cast<std::uint64_t>(d->attempts));
        const util::Time next = done + backoff(n.retry, d->attempts, random.unit());
        ds.mark_due(d->id, d->attempts, next, outcome.error);
        counters.add_counters({{"notify.retried", 1}});
        news.outcome = DeliveryNews::Outcome::retry;
        news.next_at = next;
        news.error = outcome.error;
        ++summary.retried;
      }
      tx.commit();
    }
    if (sink) {
      sink(news);
    }
  }
  return summary;
}

NotifySummary follow(store::Database& db, const core::Config& config, const util::Clock& clock,
                     util::Random& random, const std::atomic<bool>& stop, const DeliverySink& sink,
                     std::chrono::milliseconds poll, const Senders& senders) {
  NotifySummary total;
  NotifyOptions options;
  options.stop = &stop;
  store::DeliveryStore ds(db);
  while (!stop.load()) {
    try {
      add(total, notify(db, config, clock, random, options, sink, senders));
    } catch (const util::BusyError&) {
      // Another process held the database past the busy timeout: try again next poll.
    }
    // Wait, reading only, until an event is past the cursor or a delivery falls due.
    while (!stop.load()) {
      std::this_thread::sleep_for(poll);
      if (!config.notifications || config.notifications->rules.empty()) {
        continue;
      }
      const std::int64_t cursor = number_or_zero(ds.meta(k_cursor));
      if (ds.last_event_seq() > cursor) {
        break;
      }
      const auto due = ds.next_due();
      if (due && *due <= clock.now()) {
        break;
      }
    }
  }
  return total;
}

}  // namespace router::engine
