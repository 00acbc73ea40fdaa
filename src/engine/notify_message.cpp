#include "engine/notify_message.hpp"

#include <nlohmann/json.hpp>

#include "util/zone.hpp"
#include <date/date.h>

#include "util/time.hpp"

namespace router::engine {
namespace {

void put(core::TemplateFields& f, const char* name, std::string value) {
  f.fields.emplace_back(name, std::move(value));
}

// A header value on one line: CR, LF and other controls become spaces.
std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  }
  return out;
}

bool ascii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return false;
    }
  }
  return true;
}

std::string base64(std::string_view in) {
  static constexpr char k_digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += k_digits[(v >> 18) & 63];
    out += k_digits[(v >> 12) & 63];
    out += k_digits[(v >> 6) & 63];
    out += k_digits[v & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += k_digits[(v >> 18) & 63];
    out += k_digits[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned v =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += k_digits[(v >> 18) & 63];
    out += k_digits[(v >> 12) & 63];
    out += k_digits[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// RFC 2047: non-ASCII text as encoded words of whole UTF-8 characters, each word at most
// 75 characters, folded onto continuation lines.
std::string encode_header(std::string_view text) {
  if (ascii(text)) {
    return std::string(text);
  }
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = start;
    // 45 bytes of UTF-8 become 60 of base64: "=?UTF-8?B?" + 60 + "?=" = 72 characters.
    while (end < text.size()) {
      std::size_t next = end + 1;
      while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) {
        ++next;
      }
      if (next - start > 45 && end > start) {
        break;
      }
      end = next;
    }
    if (!out.empty()) {
      out += "\n ";
    }
    out += "=?UTF-8?B?" + base64(text.substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

std::string attribute_text(const nlohmann::json& v) {
  if (v.is_string()) {
    return v.get<std::string>();
  }
  if (v.is_null()) {
    return "";
  }
  return v.dump();
}

}  // namespace

std::string format_local(util::Time t, const util::Zone* zone) {
  if (zone == nullptr) {
    return date::format("%Y-%m-%d %H:%M UTC", t);
  }
  return date::format("%Y-%m-%d %H:%M ", zone->to_local(t)) + zone->get_info(t).abbrev;
}

core::TemplateFields template_fields(const store::EventRow& event,
                                     const std::optional<LeadFacts>& lead,
                                     const core::Config& config) {
  core::TemplateFields f;
  const nlohmann::json detail = nlohmann::json::parse(event.detail, nullptr, false);
  auto detail_text = [&](const char* key) -> std::string {
    if (detail.is_object() && detail.contains(key) && detail[key].is_string()) {
      return detail[key].get<std::string>();
    }
    return "";
  };
  put(f, "seq", std::to_string(event.seq));
  put(f, "lead", event.lead_id);
  put(f, "type", event.type);
  put(f, "at", util::format_rfc3339(event.at));
  put(f, "agent", event.agent.value_or(""));
  const core::Agent* agent = event.agent ? config.find_agent(*event.agent) : nullptr;
  put(f, "agent_name",
      agent ? (agent->name.empty() ? agent->id : agent->name) : event.agent.value_or(""));
  put(f, "pool", event.pool.value_or(""));
  put(f, "rule", event.rule.value_or(""));
  put(f, "reason", detail_text("reason"));
  put(f, "source", lead ? lead->source : detail_text("source"));
  // The claim deadline, of an offer only (an expiry's detail names the deadline that passed).
  const std::string deadline = event.type == "offered" ? detail_text("deadline") : "";
  put(f, "deadline", deadline);
  std::string local;
  if (const auto t = util::parse_rfc3339(deadline)) {
    const core::Pool* pool = event.pool ? config.find_pool(*event.pool) : nullptr;
    local = format_local(*t, pool ? config.pool_zone(*pool) : config.zone);
  }
  put(f, "deadline_local", local);
  if (lead) {
    const nlohmann::json attrs = nlohmann::json::parse(lead->attributes, nullptr, false);
    if (attrs.is_object()) {
      for (const auto& [name, value] : attrs.items()) {
        f.attributes.emplace_back(name, attribute_text(value));
      }
    }
  }
  return f;
}

std::string address_of(std::string_view mailbox) {
  const auto open = mailbox.rfind('<');
  const auto close = mailbox.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    return std::string(mailbox.substr(open + 1, close - open - 1));
  }
  return std::string(mailbox);
}

std::string compose_email(const std::string& from, const std::string& to,
                          const std::string& subject, const std::string& body,
                          const std::string& key, util::Time date) {
  const std::string sender = address_of(from);
  const auto at = sender.rfind('@');
  const std::string domain = at == std::string::npos ? "router.invalid" : sender.substr(at + 1);
  std::string m;
  m += "From: " + one_line(from) + "\n";
  m += "To: " + one_line(to) + "\n";
  m += "Subject: " + encode_header(one_line(subject)) + "\n";
  m += "Date: " + date::format("%a, %d %b %Y %H:%M:%S +0000", date) + "\n";
  m += "Message-ID: <" + key + "@" + domain + ">\n";
  m += "X-Router-Delivery: " + key + "\n";
  m += "MIME-Version: 1.0\n";
  m += "Content-Type: text/plain; charset=UTF-8\n";
  m += "Content-Transfer-Encoding: 8bit\n";
  m += "\n";
  // Line ends as LF (sendmail converts); a body always ends with one.
  for (const char c : body) {
    if (c != '\r') {
      m += c;
    }
  }
  if (m.back() != '\n') {
    m += '\n';
  }
  return m;
}

}  // namespace router::engine
