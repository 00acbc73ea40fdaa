#pragma once
// Time zones read straight from the system's compiled tz files (TZif, RFC 8536).
//
// date's OS-tzdb build answers the same questions, but its first use of any zone lists the
// whole tz folder (about 670 `stat` calls, 3 ms at every start of a short-lived process) to
// find the leap seconds, and it makes every program link libdate-tz. A Zone reads only its
// own file. Its answers are util::Zone's for the same file, by construction and by test
// (tests/unit/util/test_zone.cpp compares every zone of the system's database): the
// transitions of the file's 64-bit data, the one in force after the last transition holding
// for ever (the file's POSIX TZ footer is not read, as date does not read it), repeated
// transitions that change nothing dropped, and `save` 1 minute during daylight time, else 0.

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <date/date.h>
#include <date/tz.h>  // date::sys_info, date::local_info and date::choose: plain types only

namespace router::util {

// A zone's file is missing, unreadable or not a TZif file.
class ZoneError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};
// No zone has that name.
class UnknownZone : public ZoneError {
public:
  using ZoneError::ZoneError;
};

class Zone {
public:
  // Parses `tzif`, the contents of the zone file called `name`. Throws ZoneError when it is
  // not a well-formed TZif file with at least one local time type.
  Zone(std::string name, std::string_view tzif);

  const std::string& name() const { return m_name; }

  // The period of constant offset holding `t`.
  date::sys_info get_info(date::sys_seconds t) const;
  template <class Duration> date::sys_info get_info(date::sys_time<Duration> t) const {
    return get_info(date::floor<std::chrono::seconds>(t));
  }
  // How the local time `t` maps to UTC: unique, skipped (nonexistent) or repeated (ambiguous).
  date::local_info get_info(date::local_seconds t) const;
  template <class Duration> date::local_info get_info(date::local_time<Duration> t) const {
    return get_info(date::floor<std::chrono::seconds>(t));
  }

  template <class Duration>
  date::local_time<std::common_type_t<Duration, std::chrono::seconds>>
  to_local(date::sys_time<Duration> t) const {
    using Local = date::local_time<std::common_type_t<Duration, std::chrono::seconds>>;
    return Local{(t + get_info(t).offset).time_since_epoch()};
  }

  // As util::Zone::to_sys with a choice: a skipped local time gives the end of the gap,
  // a repeated one the earlier or later instant as `choose` says.
  template <class Duration>
  date::sys_time<std::common_type_t<Duration, std::chrono::seconds>>
  to_sys(date::local_time<Duration> t, date::choose choose) const {
    using Sys = date::sys_time<std::common_type_t<Duration, std::chrono::seconds>>;
    const date::local_info i = get_info(t);
    if (i.result == date::local_info::nonexistent) {
      return i.first.end;
    }
    if (i.result == date::local_info::ambiguous && choose == date::choose::latest) {
      return Sys{t.time_since_epoch()} - i.second.offset;
    }
    return Sys{t.time_since_epoch()} - i.first.offset;
  }

private:
  struct Type {
    std::chrono::seconds offset;
    bool dst = false;
    std::string abbrev;
  };
  struct Transition {
    date::sys_seconds at;
    std::uint8_t type = 0;  // index into m_types
  };
  // The period that begins at m_transitions[k - 1] (k > 0), or the first one (k == 0).
  date::sys_info info_at(std::size_t k) const;

  std::string m_name;
  std::vector<Type> m_types;
  std::vector<Transition> m_transitions;  // sorted; the first at the earliest instant
};

// The zone called `name` (an IANA name such as "Europe/London", or "UTC"), read from
// /usr/share/zoneinfo on first use. Each name is read once per process and its Zone lives as
// long as the process. Thread-safe. Throws UnknownZone when there is no such zone (the name is
// not a plain IANA name: an empty, hidden or ".." part, under posix/ or right/; or no such
// file), ZoneError when its file is not a TZif file.
const Zone* zone_by_name(const std::string& name);

// Every zone name the tz folder offers, sorted: for "did you mean" after an unknown name.
// Walks the folder; never called on a good configuration.
std::vector<std::string> zone_names();

}  // namespace router::util
