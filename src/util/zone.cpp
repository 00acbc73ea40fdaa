#include "util/zone.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace router::util {
namespace {

using std::chrono::seconds;

constexpr std::string_view k_tz_dir = "/usr/share/zoneinfo";
// A zone file is a few KB; anything much larger is not one.
constexpr std::size_t k_max_file = 1 << 20;

// date's bounds for a zone's first and last periods.
const date::sys_seconds k_min_seconds{date::sys_days{date::year::min() / date::January / 1}};
const date::sys_seconds k_max_seconds{date::sys_days{date::year::max() / date::December / 31}};

// Big-endian fields of a TZif file, bounds-checked.
class Reader {
public:
  Reader(std::string_view data, const std::string& name) : m_data(data), m_name(name) {}

  void need(std::size_t n) const {
    if (m_data.size() - m_pos < n) {
      fail("ends early");
    }
  }
  void skip(std::size_t n) {
    need(n);
    m_pos += n;
  }
  std::string_view bytes(std::size_t n) {
    need(n);
    const std::string_view out = m_data.substr(m_pos, n);
    m_pos += n;
    return out;
  }
  std::uint8_t u8() { return static_cast<std::uint8_t>(bytes(1)[0]); }
  std::int64_t be(std::size_t width) {
    const std::string_view b = bytes(width);
    std::uint64_t v = 0;
    for (const char c : b) {
      v = (v << 8) | static_cast<std::uint8_t>(c);
    }
    if (width == 4) {
      return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    }
    return static_cast<std::int64_t>(v);
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw ZoneError(std::string(k_tz_dir) + "/" + m_name + " is not a valid zone file (" + what +
                    ")");
  }

private:
  std::string_view m_data;
  const std::string& m_name;
  std::size_t m_pos = 0;
};

struct Header {
  char version = 0;
  std::int64_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
};

Header read_header(Reader& r) {
  if (r.bytes(4) != "TZif") {
    r.fail("no TZif magic");
  }
  Header h;
  h.version = static_cast<char>(r.u8());
  r.skip(15);
  h.isut = r.be(4);
  h.isstd = r.be(4);
  h.leap = r.be(4);
  h.time = r.be(4);
  h.type = r.be(4);
  h.chars = r.be(4);
  if (h.isut < 0 || h.isstd < 0 || h.leap < 0 || h.time < 0 || h.type < 0 || h.chars < 0 ||
      h.time > 100000 || h.type > 256 || h.chars > 100000 || h.leap > 100000) {
    r.fail("bad counts");
  }
  return h;
}

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

// The regular file at `path`, whole; nullopt when it cannot be opened or is not a regular
// file of a plausible size.
std::optional<std::string> read_small_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return std::nullopt;
  }
  struct stat st {};
  std::optional<std::string> out;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<std::size_t>(st.st_size) <= k_max_file) {
    std::string text(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t got = 0;
    while (got < text.size()) {
      const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
      if (n <= 0) {
        break;
      }
      got += static_cast<std::size_t>(n);
    }
    if (got == text.size()) {
      out = std::move(text);
    }
  }
  ::close(fd);
  return out;
}

}  // namespace

Zone::Zone(std::string name, std::string_view tzif) : m_name(std::move(name)) {
  Reader r(tzif, m_name);
  Header h = read_header(r);
  std::size_t width = 4;
  if (h.version >= '2') {
    // Skip the 32-bit data; the 64-bit data that follows has the same layout.
    r.skip(static_cast<std::size_t>(h.time * 5 + h.type * 6 + h.chars + h.leap * 8 + h.isstd +
                                    h.isut));
    h = read_header(r);
    width = 8;
  }
  if (h.type == 0) {
    r.fail("no local time types");
  }
  if (h.leap > 0) {
    r.fail("it counts leap seconds; use the zone of the same name outside right/");
  }
  std::vector<std::int64_t> times(static_cast<std::size_t>(h.time));
  for (auto& t : times) {
    t = r.be(width);
  }
  std::vector<std::uint8_t> indexes(static_cast<std::size_t>(h.time));
  for (auto& i : indexes) {
    i = r.u8();
    if (i >= h.type) {
      r.fail("a transition names a missing type");
    }
  }
  struct Raw {
    std::int64_t offset;
    bool dst;
    std::uint8_t abbrev;
  };
  std::vector<Raw> raw(static_cast<std::size_t>(h.type));
  for (auto& t : raw) {
    t.offset = r.be(4);
    t.dst = r.u8() != 0;
    t.abbrev = r.u8();
  }
  const std::string_view chars = r.bytes(static_cast<std::size_t>(h.chars));
  m_types.reserve(raw.size());
  for (const Raw& t : raw) {
    if (t.abbrev >= chars.size() && !(t.abbrev == 0 && chars.empty())) {
      r.fail("a type's abbreviation is out of range");
    }
    const std::string_view rest = chars.substr(std::min<std::size_t>(t.abbrev, chars.size()));
    m_types.push_back({seconds{t.offset}, t.dst, std::string(rest.substr(0, rest.find('\0')))});
  }

  m_transitions.reserve(times.size() + 1);
  for (std::size_t k = 0; k < times.size(); ++k) {
    date::sys_seconds at{seconds{times[k]}};
    if (k > 0 && times[k] <= times[k - 1]) {
      r.fail("transitions out of order");
    }
    m_transitions.push_back({std::max(at, k_min_seconds), indexes[k]});
  }
  if (m_transitions.empty() || m_transitions.front().at != k_min_seconds) {
    // Before the first transition: the first standard-time type (date's choice).
    const auto standard =
        std::find_if(m_types.begin(), m_types.end(), [](const Type& t) { return !t.dst; });
    const auto first = standard == m_types.end() ? m_types.begin() : standard;
    m_transitions.insert(m_transitions.begin(),
                         {k_min_seconds, static_cast<std::uint8_t>(first - m_types.begin())});
  }
  // Drop transitions that change nothing, as date does.
  const auto same = [&](const Transition& a, const Transition& b) {
    const Type& x = m_types[a.type];
    const Type& y = m_types[b.type];
    return x.offset == y.offset && x.dst == y.dst && x.abbrev == y.abbrev;
  };
  m_transitions.erase(std::unique(m_transitions.begin(), m_transitions.end(), same),
                      m_transitions.end());
}

date::sys_info Zone::info_at(std::size_t k) const {
  date::sys_info r;
  const std::size_t n = m_transitions.size();
  const std::size_t from = k > 0 ? k - 1 : 0;
  r.begin = k > 0 ? m_transitions[k - 1].at : k_min_seconds;
  const std::size_t next = k > 0 ? k : 1;
  r.end = next < n ? m_transitions[next].at : k_max_seconds;
  const Type& t = m_types[m_transitions[from].type];
  r.offset = t.offset;
  r.save = t.dst ? std::chrono::minutes{1} : std::chrono::minutes{0};
  r.abbrev = t.abbrev;
  return r;
}

date::sys_info Zone::get_info(date::sys_seconds t) const {
  const auto it =
      std::upper_bound(m_transitions.begin(), m_transitions.end(), t,
                       [](date::sys_seconds x, const Transition& tr) { return x < tr.at; });
  return info_at(static_cast<std::size_t>(it - m_transitions.begin()));
}

date::local_info Zone::get_info(date::local_seconds t) const {
  // util::Zone's get_info for local times (OS tz database), step by step.
  date::local_info i;
  i.result = date::local_info::unique;
  const auto begin = m_transitions.begin();
  const auto next = std::upper_bound(
      begin, m_transitions.end(), t, [this](date::local_seconds x, const Transition& tr) {
        return date::sys_seconds{x.time_since_epoch()} - m_types[tr.type].offset < tr.at;
      });
  const auto k = static_cast<std::size_t>(next - begin);
  i.first = info_at(k);
  date::sys_seconds ts{(t - i.first.offset).time_since_epoch()};
  if (ts < i.first.begin + date::days{1} && k > 0) {
    i.second = info_at(k - 1);
    ts = date::sys_seconds{(t - i.second.offset).time_since_epoch()};
    if (ts < i.second.end) {
      i.result = date::local_info::ambiguous;
      std::swap(i.first, i.second);
    } else {
      i.second = {};
    }
  } else if (ts >= i.first.end && k < m_transitions.size()) {
    i.second = info_at(k + 1);
    ts = date::sys_seconds{(t - i.second.offset).time_since_epoch()};
    if (ts < i.second.begin) {
      i.result = date::local_info::nonexistent;
    } else {
      i.second = {};
    }
  }
  return i;
}

const Zone* zone_by_name(const std::string& name) {
  static std::mutex mutex;
  // Never freed, like date's own database: the pointers handed out stay valid until exit.
  static auto* const zones = new std::map<std::string, std::unique_ptr<const Zone>, std::less<>>;
  const std::lock_guard lock(mutex);
  if (const auto it = zones->find(name); it != zones->end()) {
    return it->second.get();
  }
  std::optional<std::string> text;
  if (plain_zone_name(name)) {
    text = read_small_file(std::string(k_tz_dir) + "/" + name);
  }
  if (!text) {
    throw UnknownZone("unknown time zone '" + name + "'");
  }
  auto zone = std::make_unique<const Zone>(name, *text);
  return zones->emplace(name, std::move(zone)).first->second.get();
}

std::vector<std::string> zone_names() {
  std::vector<std::string> names;
  std::vector<std::string> folders{""};
  while (!folders.empty()) {
    const std::string folder = std::move(folders.back());
    folders.pop_back();
    const std::string path = std::string(k_tz_dir) + (folder.empty() ? "" : "/" + folder);
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) {
      continue;
    }
    while (const dirent* d = ::readdir(dir)) {
      const std::string name = folder.empty() ? d->d_name : folder + "/" + d->d_name;
      if (!plain_zone_name(name)) {
        continue;
      }
      struct stat st {};
      if (::stat((std::string(k_tz_dir) + "/" + name).c_str(), &st) != 0) {
        continue;
      }
      if (S_ISDIR(st.st_mode)) {
        folders.push_back(name);
      } else if (S_ISREG(st.st_mode)) {
        names.push_back(name);
      }
    }
    ::closedir(dir);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace router::util
