#pragma once
// `router notify` and the end of every sweep: turns new events of the outbox into
// deliveries (one per event and matching notification rule), then delivers what is due,
// oldest first per target, at least once: a delivery is marked sent only after sendmail
// accepted it or the webhook answered 2xx; failures come back with exponential backoff and
// jitter until `retry.attempts`, then stay failed until `--retry` (SPEC §12).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"
#include "store/database.hpp"
#include "transport/transport.hpp"
#include "util/clock.hpp"
#include "util/random.hpp"

namespace router::engine {

// The outside world, replaceable in tests.
struct Senders {
  std::function<transport::Outcome(const std::string& sendmail, std::string_view message,
                                   std::chrono::seconds timeout)>
      mail = transport::send_mail;
  std::function<transport::Outcome(const transport::HttpRequest&)> post = transport::post;
  // A secret from the environment (getenv by default).
  std::function<std::optional<std::string>(const std::string& name)> env;
};

// One delivery attempt, as reported.
struct DeliveryNews {
  enum class Outcome { sent, retry, failed };
  Outcome outcome = Outcome::sent;
  std::int64_t id = 0;
  std::int64_t seq = 0;
  std::string lead;
  std::string type;
  std::string channel;  // email | webhook
  std::string target;   // address | webhook name
  std::string key;
  int attempt = 0;
  std::optional<util::Time> next_at;  // retry: when it is due again
  std::string error;                  // retry, failed
};

using DeliverySink = std::function<void(const DeliveryNews&)>;

struct NotifyOptions {
  // Start no delivery once this much wall time has passed (nullopt: no limit).
  std::optional<std::chrono::milliseconds> budget;
  // Set from a signal handler: finish the delivery in flight and stop.
  const std::atomic<bool>* stop = nullptr;
};

struct NotifySummary {
  std::size_t queued = 0;      // deliveries queued from new events
  std::size_t too_old = 0;     // deliveries not queued: event older than max_age
  std::size_t no_address = 0;  // email to an agent without one, or to no agent
  std::size_t sent = 0;
  std::size_t retried = 0;
  std::size_t failed = 0;
};

// Queues deliveries for the events written since the last run, a page of events per
// transaction; stops between pages once `more` says so (the next run goes on from there).
// Safe to run concurrently.
NotifySummary queue_deliveries(store::Database& db, const core::Config& config, util::Time now,
                               util::Random& random, const std::function<bool()>& more = nullptr);

// Queues, then delivers what is due until nothing is, the budget runs out or `stop` is set.
// Does nothing without a `notifications` section.
NotifySummary notify(store::Database& db, const core::Config& config, const util::Clock& clock,
                     util::Random& random, const NotifyOptions& options, const DeliverySink& sink,
                     const Senders& senders = {});

// Runs `notify` again whenever events arrive or a retry falls due, polling the database
// every `poll` until `stop` is set. Returns the totals.
NotifySummary follow(store::Database& db, const core::Config& config, const util::Clock& clock,
                     util::Random& random, const std::atomic<bool>& stop, const DeliverySink& sink,
                     std::chrono::milliseconds poll, const Senders& senders = {});

// How long attempt `attempt` (1 = the first try failed) waits before the next:
// first * 2^(attempt-1), capped at max, then scaled by a draw in [0.5, 1) (jitter).
std::chrono::seconds backoff(const core::RetryPolicy& retry, int attempt, double draw);

}  // namespace router::engine
