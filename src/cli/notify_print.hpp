#pragma once
// How `notify` and `sweep` print a delivery attempt and a run's totals.

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/notify.hpp"

namespace router::cli {

// "2026-12-03T10:00:00Z sent    email   sue@example.com  L1  offered  seq 2  attempt 1";
// without the time under the journal, which stamps lines itself.
std::string delivery_line(const engine::DeliveryNews& n, util::Time now, bool journal);
// {"at", "action": sent|retry|failed, "delivery", "seq", "lead", "type", "channel",
//  "target", "key", "attempt", "next_at", "error"}
nlohmann::ordered_json delivery_json(const engine::DeliveryNews& n, util::Time now);
// Prints one attempt and flushes: as JSON always; as text, a send only when `sends` and a
// retry or failure only when `news`.
void print_delivery(std::ostream& out, const engine::DeliveryNews& n, util::Time now, bool json,
                    bool journal, bool sends, bool news);
// "sent 2, to retry 1, failed 0 (3 queued)" or "nothing to deliver".
std::string summary_line(const engine::NotifySummary& s);

}  // namespace router::cli
