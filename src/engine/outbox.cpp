#include "engine/outbox.hpp"

#include <algorithm>

#include "util/error.hpp"
#include "util/time.hpp"

namespace router::engine {
namespace {

// Events read at once by a follow before it looks at `stop` again.
constexpr std::size_t k_outbox_page = 1000;

// On PostgreSQL a follower reads when notified, and at least this often.
constexpr std::chrono::milliseconds k_pg_fallback{5000};

nlohmann::ordered_json text_or_null(const std::optional<std::string>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

bool is_set(const std::atomic<bool>* flag) {
  return flag != nullptr && flag->load();
}

// One poll of a follow: the events past `after`, a page at a time (so TERM is not kept
// waiting by a long backlog) until none is left, `room` were passed (0: no limit) or `stop`
// is set. Moves `after` past each event passed.
void read_new(store::Database& db, std::int64_t& after, std::size_t room,
              const std::atomic<bool>* stop, const EventSink& sink) {
  std::size_t passed = 0;
  while (!is_set(stop)) {
    const std::size_t want = room == 0 ? k_outbox_page : std::min(k_outbox_page, room - passed);
    const std::size_t got = read_events(db, after, want, [&](const store::EventRow& e) {
      after = e.seq;
      sink(e);
    });
    passed += got;
    if (got < want || (room != 0 && passed >= room)) {
      return;
    }
  }
}

}  // namespace

std::size_t read_events(store::Database& db, std::int64_t after, std::size_t limit,
                        const EventSink& sink, std::size_t page) {
  store::EventStore events(db);
  std::size_t sent = 0;
  // Each page is its own short read, so a slow reader never holds back writers for long.
  while (limit == 0 || sent < limit) {
    const std::size_t want = limit == 0 ? page : std::min(page, limit - sent);
    const auto rows = events.list_after(after, want);
    for (const auto& row : rows) {
      sink(row);
    }
    sent += rows.size();
    if (rows.size() < want) {
      break;
    }
    after = rows.back().seq;
  }
  return sent;
}

std::size_t follow_events(store::Database& db, std::int64_t after, std::size_t limit,
                          const EventSink& sink, const FollowOptions& options) {
  const auto stopped = [&] { return is_set(options.stop); };
  std::size_t sent = 0;
  bool first = true;
  // How long, in polls, a snapshot has failed to open again (see below).
  std::chrono::milliseconds reopen_failing{0};
  // PostgreSQL wakes the follower with NOTIFY router_events when a transaction writes events;
  // reading every k_pg_fallback as well covers events written by others than router.
  const bool notified = db.postgres();
  if (notified) {
    db.listen_events();
  }
  const auto wait = notified ? std::max(options.poll, k_pg_fallback) : options.poll;
  while (!stopped() && (limit == 0 || sent < limit)) {
    if (!first) {
      try {
        db.wait_for_events(wait);
      } catch (const util::BusyError&) {  // NOLINT(bugprone-empty-catch): read again now
      }
      if (stopped()) {
        break;
      }
    }
    first = false;
    if (options.wanted && !options.wanted()) {
      break;
    }
    db.check_present();
    std::size_t batch = 0;
    try {
      if (db.snapshot()) {
        // The first writer creates the -wal, then the -shm: a reader who may not create
        // files fails to open the database between the two. Read nothing this time and try
        // again at the next poll, for as long as the busy timeout allows.
        try {
          db = store::Database::open_read_only(db.path(), db.busy_timeout());
          reopen_failing = std::chrono::milliseconds{0};
        } catch (const util::DbError&) {
          reopen_failing += options.poll;
          if (reopen_failing > std::max(db.busy_timeout(), options.poll)) {
            throw;
          }
          continue;
        }
      }
      read_new(db, after, limit == 0 ? 0 : limit - sent, options.stop,
               [&](const store::EventRow& e) {
                 ++batch;
                 sink(e);
               });
    } catch (const util::BusyError&) {
      // A writer held the database past the busy timeout: read again at the next poll.
    }
    sent += batch;
    if (batch > 0 && options.batch_done && !options.batch_done()) {
      break;
    }
  }
  return sent;
}

nlohmann::ordered_json event_json(const store::EventRow& e) {
  auto detail = nlohmann::ordered_json::parse(e.detail, nullptr, false);
  if (detail.is_discarded()) {
    detail = e.detail;
  }
  return {{"seq", e.seq},
          {"lead", e.lead_id},
          {"at", util::format_rfc3339(e.at)},
          {"type", e.type},
          {"agent", text_or_null(e.agent)},
          {"pool", text_or_null(e.pool)},
          {"rule", text_or_null(e.rule)},
          {"detail", std::move(detail)}};
}

}  // namespace router::engine
