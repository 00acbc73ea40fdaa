#include "engine/outbox.hpp"

#include <algorithm>

#include "util/time.hpp"

namespace router::engine {
namespace {

nlohmann::ordered_json text_or_null(const std::optional<std::string>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
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
