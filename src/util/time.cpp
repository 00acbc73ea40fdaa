#include "util/time.hpp"

#include <cctype>

#include "util/zone.hpp"
#include <date/date.h>

namespace router::util {
namespace {

// Reads exactly `width` digits at `pos`, advancing it.
std::optional<int> digits(std::string_view s, std::size_t& pos, std::size_t width) {
  if (pos + width > s.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = s[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  pos += width;
  return value;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

// The instant `s` names, without the range check of parse_rfc3339.
std::optional<Time> parse_unchecked(std::string_view s) {
  std::size_t pos = 0;
  const auto y = digits(s, pos, 4);
  if (!y || !expect(s, pos, '-')) {
    return std::nullopt;
  }
  const auto mo = digits(s, pos, 2);
  if (!mo || !expect(s, pos, '-')) {
    return std::nullopt;
  }
  const auto d = digits(s, pos, 2);
  if (!d || pos >= s.size() || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')) {
    return std::nullopt;
  }
  ++pos;
  const auto h = digits(s, pos, 2);
  if (!h || !expect(s, pos, ':')) {
    return std::nullopt;
  }
  const auto mi = digits(s, pos, 2);
  if (!mi || !expect(s, pos, ':')) {
    return std::nullopt;
  }
  const auto sec = digits(s, pos, 2);
  if (!sec) {
    return std::nullopt;
  }
  if (expect(s, pos, '.')) {
    const std::size_t start = pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      ++pos;
    }
    if (pos == start) {
      return std::nullopt;
    }
  }
  int offset_minutes = 0;
  if (expect(s, pos, 'Z') || expect(s, pos, 'z')) {
    // UTC
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    const auto oh = digits(s, pos, 2);
    if (!oh || !expect(s, pos, ':')) {
      return std::nullopt;
    }
    const auto om = digits(s, pos, 2);
    if (!om || *oh > 23 || *om > 59) {
      return std::nullopt;
    }
    offset_minutes = sign * (*oh * 60 + *om);
  } else {
    return std::nullopt;
  }
  if (pos != s.size() || *h > 23 || *mi > 59 || *sec > 60) {
    return std::nullopt;
  }
  const date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*mo)},
                                 date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  const int second = *sec == 60 ? 59 : *sec;  // a leap second reads as :59
  return Time{date::sys_days{ymd}} + std::chrono::hours{*h} + std::chrono::minutes{*mi} +
         std::chrono::seconds{second} - std::chrono::minutes{offset_minutes};
}

// The instants format_rfc3339 can print with four digits of year: years 0000 to 9999 in UTC.
constexpr Time k_first{date::sys_days{date::year{0} / 1 / 1}};
constexpr Time k_last{date::sys_days{date::year{9999} / 12 / 31} + std::chrono::seconds{86399}};

}  // namespace

std::optional<Time> parse_rfc3339(std::string_view s) {
  const auto t = parse_unchecked(s);
  if (!t || *t < k_first || *t > k_last) {
    return std::nullopt;
  }
  return t;
}

std::string rfc3339_refusal(std::string_view s) {
  return parse_unchecked(s) ? "is outside the years 0000 to 9999 in UTC"
                            : "is not an RFC 3339 time";
}

std::string format_rfc3339(Time t) {
  const auto day = date::floor<date::days>(t);
  const date::year_month_day ymd{day};
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    return date::format("%Y-%m-%dT%H:%M:%SZ", t);
  }
  // Written by hand: date::format goes through an ostream, and assign formats a deadline
  // for every lead it offers.
  const auto secs = static_cast<int>((t - day).count());
  std::string out = "0000-00-00T00:00:00Z";
  const auto put = [&out](std::size_t pos, int value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      out[pos + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, year, 4);
  put(5, static_cast<int>(static_cast<unsigned>(ymd.month())), 2);
  put(8, static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
  put(11, secs / 3600, 2);
  put(14, secs / 60 % 60, 2);
  put(17, secs % 60, 2);
  return out;
}

std::string format_duration(long long seconds) {
  if (seconds == 0) {
    return "0s";
  }
  std::string out;
  if (seconds < 0) {
    out = "-";
    seconds = -seconds;
  }
  const long long days = seconds / 86400;
  const long long hours = seconds / 3600 % 24;
  const long long minutes = seconds / 60 % 60;
  const long long secs = seconds % 60;
  if (days) {
    out += std::to_string(days) + "d";
  }
  if (hours) {
    out += std::to_string(hours) + "h";
  }
  if (minutes) {
    out += std::to_string(minutes) + "m";
  }
  if (secs) {
    out += std::to_string(secs) + "s";
  }
  return out;
}

std::optional<Time> parse_time_or_date(std::string_view text, const util::Zone* zone) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return parse_rfc3339(text);
  }
  std::size_t pos = 0;
  const auto y = digits(text, pos, 4);
  ++pos;
  const auto m = digits(text, pos, 2);
  ++pos;
  const auto d = digits(text, pos, 2);
  if (!y || !m || !d) {
    return std::nullopt;
  }
  const date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                                 date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  const date::local_days day{ymd};
  if (zone == nullptr) {
    return Time{day.time_since_epoch()};
  }
  return zone->to_sys(date::local_seconds{day}, date::choose::earliest);
}

}  // namespace router::util
