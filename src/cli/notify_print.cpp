#include "cli/notify_print.hpp"

#include "cli/print.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

const char* action(engine::DeliveryNews::Outcome o) {
  switch (o) {
  case engine::DeliveryNews::Outcome::sent: return "sent";
  case engine::DeliveryNews::Outcome::retry: return "retry";
  case engine::DeliveryNews::Outcome::failed: return "failed";
  }
  return "sent";
}

}  // namespace

std::string delivery_line(const engine::DeliveryNews& n, util::Time now, bool journal) {
  std::string line;
  if (journal) {
    // sd-daemon priorities: warning for a retry, error for a delivery that gave up.
    if (n.outcome == engine::DeliveryNews::Outcome::retry) {
      line += "<4>";
    } else if (n.outcome == engine::DeliveryNews::Outcome::failed) {
      line += "<3>";
    }
  } else {
    line += util::format_rfc3339(now) + " ";
  }
  line += pad(action(n.outcome), 7) + pad(n.channel, 8) + pad(n.target, 24) + pad(n.lead, 14) +
          pad(n.type, 11) + "seq " + std::to_string(n.seq) + ", attempt " +
          std::to_string(n.attempt);
  if (n.outcome == engine::DeliveryNews::Outcome::retry && n.next_at) {
    line += ", again at " + util::format_rfc3339(*n.next_at);
  }
  if (!n.error.empty()) {
    line += ": " + n.error;
  }
  return line;
}

nlohmann::ordered_json delivery_json(const engine::DeliveryNews& n, util::Time now) {
  return {{"at", util::format_rfc3339(now)},
          {"action", action(n.outcome)},
          {"delivery", n.id},
          {"seq", n.seq},
          {"lead", n.lead},
          {"type", n.type},
          {"channel", n.channel},
          {"target", n.target},
          {"key", n.key},
          {"attempt", n.attempt},
          {"next_at", n.next_at ? nlohmann::ordered_json(util::format_rfc3339(*n.next_at))
                                : nlohmann::ordered_json(nullptr)},
          {"error",
           n.error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(n.error)}};
}

void print_delivery(std::ostream& out, const engine::DeliveryNews& n, util::Time now, bool json,
                    bool journal, bool sends, bool news) {
  const bool sent = n.outcome == engine::DeliveryNews::Outcome::sent;
  if (json) {
    out << delivery_json(n, now).dump() << '\n';
  } else if (sent ? sends : news) {
    out << delivery_line(n, now, journal) << '\n';
  }
  out.flush();
}

std::string summary_line(const engine::NotifySummary& s) {
  if (s.sent + s.retried + s.failed + s.queued + s.too_old + s.no_address == 0) {
    return "nothing to deliver";
  }
  std::string line = "sent " + std::to_string(s.sent) + ", to retry " + std::to_string(s.retried) +
                     ", failed " + std::to_string(s.failed);
  std::string notes;
  auto note = [&](std::size_t count, const std::string& what) {
    if (count > 0) {
      notes += (notes.empty() ? "" : ", ") + std::to_string(count) + " " + what;
    }
  };
  note(s.queued, "queued");
  note(s.too_old, "skipped as older than max_age");
  note(s.no_address, "skipped: agent without email");
  if (!notes.empty()) {
    line += " (" + notes + ")";
  }
  return line;
}

}  // namespace router::cli
