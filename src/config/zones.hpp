#pragma once
// Time zones for a cached configuration, by name, without date's list of every zone.
// date::locate_zone builds that list on first use by walking the whole tz folder (hundreds
// of stat calls, a few milliseconds at every start); a cache entry only names zones that
// locate_zone found when the entry was written, so decoding constructs just those.

#include <cstddef>
#include <string>

#include <date/tz.h>

namespace router::config {

// The zone called `name`, constructed directly from its file in the tz folder when that is
// a regular file with a plain zone name, else date::locate_zone(name) (which throws when the
// database has no such zone). The zone reads its file on first use. Each name is resolved
// once per process; the zone lives as long as the process. Thread-safe.
const date::time_zone* zone_by_name(const std::string& name);

// How zone_by_name resolved the names it was asked for so far, for tests.
struct ZoneLookups {
  std::size_t direct = 0;    // constructed from the zone's file
  std::size_t fallback = 0;  // left to date::locate_zone
};
ZoneLookups zone_lookups();

}  // namespace router::config
