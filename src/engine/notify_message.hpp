#pragma once
// What a notification says: the template fields of one event, the email built from them,
// and the webhook's body. Pure apart from reading the configuration; no database, no I/O.

#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"
#include "core/template.hpp"
#include "store/events.hpp"
#include "util/clock.hpp"

namespace router::engine {

// The lead as the notification sees it (absent when the lead row is gone).
struct LeadFacts {
  std::string source;
  std::string attributes = "{}";  // JSON object as text
};

// The SPEC §12 fields of `event`: lead, type, at, agent, agent_name, pool, rule, reason,
// source, deadline (an offer's claim deadline, RFC 3339; empty for other events),
// deadline_local (the same in the pool's zone, "2026-12-03 11:15 CET"),
// seq, and attributes.NAME (strings as they are, other values as JSON text).
core::TemplateFields template_fields(const store::EventRow& event,
                                     const std::optional<LeadFacts>& lead,
                                     const core::Config& config);

// A time in a zone as the emails print it: "2026-12-03 11:15 CET".
std::string format_local(util::Time t, const util::Zone* zone);

// The complete message handed to `sendmail -t -i`: From, To, Subject (RFC 2047 encoded
// when not ASCII), Date, Message-ID <KEY@DOMAIN-OF-FROM>, X-Router-Delivery, a UTF-8
// text/plain body. Header values lose any CR/LF a template put in them.
std::string compose_email(const std::string& from, const std::string& to,
                          const std::string& subject, const std::string& body,
                          const std::string& key, util::Time date);

// The address in "Name <a@b.c>" or "a@b.c"; the text itself when there are no brackets.
std::string address_of(std::string_view mailbox);

}  // namespace router::engine
