#include "config/zones.hpp"

#include <map>
#include <mutex>
#include <string_view>

#include <sys/stat.h>

namespace router::config {
namespace {

// The folder date's OS-tzdb build reads (its discover_tz_dir()), and the one it prefers
// when present: then the direct path is not taken.
constexpr std::string_view k_tz_dir = "/usr/share/zoneinfo";
constexpr const char* k_uclibc_dir = "/usr/share/zoneinfo/uclibc";

// True when every '/'-separated part of `name` is one date's walk of the tz folder would
// list as a zone: no empty, hidden or parent part, none of the files it skips, only the
// characters of IANA names.
bool plain_zone_name(std::string_view name) {
  if (name.empty() || name.size() > 255) {
    return false;
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t end = std::min(name.find('/', start), name.size());
    const std::string_view part = name.substr(start, end - start);
    if (part.empty() || part.front() == '.' || part.starts_with("posix") || part == "Factory" ||
        part == "right" || part == "+VERSION" || part == "version" || part == "leapseconds") {
      return false;
    }
    for (const char c : part) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-' || c == '+';
      if (!ok) {
        return false;
      }
    }
    start = end + 1;
  }
  return true;
}

bool is_directory(const char* path) {
  struct stat st {};
  return ::stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_regular_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The zones made so far. Allocated once and never freed, like date's own database: the
// pointers handed out stay valid until the process ends (and stay reachable for leak
// checkers). date::time_zone cannot be destroyed outside date's library anyway (its members'
// types are incomplete here), so the direct zones are never deleted either.
struct Store {
  std::mutex mutex;
  std::map<std::string, const date::time_zone*, std::less<>> by_name;
  ZoneLookups lookups;
  int uclibc = -1;  // whether date reads the uclibc folder; -1 until asked
};

Store& store() {
  static Store* const s = new Store;
  return *s;
}

}  // namespace

const date::time_zone* zone_by_name(const std::string& name) {
  Store& s = store();
  const std::lock_guard lock(s.mutex);
  if (const auto it = s.by_name.find(name); it != s.by_name.end()) {
    return it->second;
  }
  if (s.uclibc < 0) {
    s.uclibc = is_directory(k_uclibc_dir) ? 1 : 0;
  }
  const date::time_zone* zone = nullptr;
  if (s.uclibc == 0 && plain_zone_name(name) &&
      is_regular_file(std::string(k_tz_dir) + "/" + name)) {
    zone = new date::time_zone(name, date::detail::undocumented{});
    ++s.lookups.direct;
  } else {
    ++s.lookups.fallback;
    zone = date::locate_zone(name);  // throws for a name the database lacks
  }
  s.by_name.emplace(name, zone);
  return zone;
}

ZoneLookups zone_lookups() {
  Store& s = store();
  const std::lock_guard lock(s.mutex);
  return s.lookups;
}

}  // namespace router::config
