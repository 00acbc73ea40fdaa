#include <cstdlib>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include <doctest/doctest.h>

#include "config/cache.hpp"
#include "config/model_codec.hpp"
#include "load_text.hpp"
#include "model_fields.hpp"

namespace fs = std::filesystem;
namespace config = router::config;
using router::test::expect_same;
using router::test::lines_of;
using router::test::TempConfig;
using Status = config::CacheStatus;

namespace {

// Two zones, a regex and a warning (the idle agent), so a hit has all of them to rebuild.
const std::string k_text = R"(version: 1
timezone: Europe/London
database: data/r.db
agents:
  - id: tom
  - id: idle
schedules:
  office:
    timezone: America/New_York
    hours: { mon-fri: "09:00-17:00" }
pools:
  sales:
    members: [tom]
    schedule: office
rules:
  - name: web
    when: { email: { matches: "^[a-z]+@example\\.com$" } }
    pool: sales
  - name: all
    pool: sales
)";

// The header: magic (8), format (4), body size (8), checksum (8).
constexpr std::size_t k_header = 28;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

// The entry files in `dir`.
std::vector<fs::path> entries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".cfg") {
      out.push_back(e.path());
    }
  }
  return out;
}

// Recomputes the checksum of an entry whose body was edited, as a forger would: over the
// body without the source text (the second string in it).
std::string reseal(std::string bytes) {
  const std::string_view body = std::string_view(bytes).substr(k_header);
  config::ByteReader r(body);
  r.str_view();
  const std::string_view text = r.str_view();
  const auto text_at = static_cast<std::size_t>(text.data() - body.data());
  config::Hash64 h;
  h.update(body.substr(0, text_at));
  h.update(body.substr(text_at + text.size()));
  config::ByteWriter w;
  w.u64(body.size());
  w.u64(h.finish());
  bytes.replace(12, 16, w.bytes());
  return bytes;
}

// A config file and a cache folder beside it.
struct Setup {
  TempConfig tmp{k_text};
  fs::path dir = tmp.dir() / "cache";
  config::CachedLoad load() const { return config::load_cached(tmp.file(), dir); }
  // Loads once to write the entry; returns its path.
  fs::path warm() const {
    const auto first = load();
    REQUIRE(first.status == Status::miss);
    REQUIRE(first.detail == "no entry; written");
    REQUIRE(fs::exists(first.entry));
    return first.entry;
  }
};

// The load equals a full load of the file: same model, same diagnostics.
void expect_full_load_result(const config::CachedLoad& got, const fs::path& file) {
  const auto full = config::load(file);
  CHECK(lines_of(got.result) == lines_of(full));
  REQUIRE(got.result.config.has_value() == full.config.has_value());
  if (full.config) {
    expect_same(*got.result.config, *full.config, "config");
    // What a decision trail names its configuration by (a hit keeps the entry's hash).
    CHECK(got.result.config->source_text == full.config->source_text);
    CHECK(got.result.config->source_hash == full.config->source_hash);
  }
}

}  // namespace

TEST_SUITE("config.cache") {
  TEST_CASE("the first load writes an entry and the next one is served from it") {
    const Setup s;
    const fs::path entry = s.warm();
    CHECK(entry.parent_path() == s.dir);
    CHECK(entries(s.dir).size() == 1);
    const auto hit = s.load();
    CHECK(hit.status == Status::hit);
    CHECK(hit.entry == entry);
    expect_full_load_result(hit, s.tmp.file());
    CHECK(lines_of(hit.result) ==
          std::vector<std::string>{"6:5: warning: agent 'idle' is in no pool and is no default: "
                                   "it will never get a lead"});
    const auto& c = *hit.result.config;
    CHECK(c.database == (s.tmp.dir() / "data/r.db").string());
    CHECK(c.find_schedule("office")->zone->name() == "America/New_York");
    CHECK(std::regex_search("TOM@EXAMPLE.COM", *c.find_rule("web")->when[0].tests[0].regex));
    // Private to the user: read_entry refuses entries others can write.
    struct stat st {};
    REQUIRE(::stat(entry.c_str(), &st) == 0);
    CHECK((st.st_mode & 0077) == 0);
  }

  TEST_CASE("a hit kept for the whole process decodes the same model") {
    const Setup s;
    s.warm();
    const auto kept = config::load_cached(s.tmp.file(), s.dir, config::Lifetime::process);
    CHECK(kept.status == Status::hit);
    expect_full_load_result(kept, s.tmp.file());
  }

  TEST_CASE("a changed byte in the file is seen at once, whatever its size and time") {
    const Setup s;
    s.warm();
    const auto time = fs::last_write_time(s.tmp.file());
    std::string edited = k_text;
    edited.replace(edited.find("09:00-17:00"), 11, "08:00-17:00");
    write(s.tmp.file(), edited);
    fs::last_write_time(s.tmp.file(), time);
    const auto after = s.load();
    CHECK(after.status == Status::miss);
    CHECK(after.detail == "no entry; written");
    REQUIRE(after.result.config);
    CHECK(after.result.config->schedules[0].hours.days[0][0].start == 8 * 60);
    expect_full_load_result(after, s.tmp.file());
    // Both versions keep their entry; going back is a hit on the first one.
    CHECK(entries(s.dir).size() == 2);
    write(s.tmp.file(), k_text);
    const auto back = s.load();
    CHECK(back.status == Status::hit);
    CHECK(back.result.config->schedules[0].hours.days[0][0].start == 9 * 60);
  }

  TEST_CASE("an entry holding other text is not served even under this text's name") {
    // What a hash collision would look like: the name matches, the stored text does not.
    const Setup s;
    const fs::path old_entry = s.warm();
    std::string other = k_text;
    other.replace(other.find("id: idle"), 8, "id: idol");
    write(s.tmp.file(), other);
    const fs::path new_entry = s.load().entry;
    REQUIRE(new_entry != old_entry);
    fs::copy_file(old_entry, new_entry, fs::copy_options::overwrite_existing);
    const auto got = s.load();
    CHECK(got.status == Status::miss);
    CHECK(got.detail == "entry of other content; written");
    REQUIRE(got.result.config);
    CHECK(got.result.config->find_agent("idol") != nullptr);
    CHECK(s.load().status == Status::hit);
  }

  TEST_CASE("a file larger than the read buffer is compared to its last byte") {
    // 200 KB of comment after the model: the file is read in 64 KB pieces on a hit.
    const std::string big = k_text + "# " + std::string(200 * 1024, 'x') + "\n";
    const Setup s;
    write(s.tmp.file(), big);
    const auto first = s.load();
    REQUIRE(first.status == Status::miss);
    CHECK(s.load().status == Status::hit);
    // Texts that differ from the stored one only at a piece boundary or at the very end,
    // each given the stored entry under its own name, as a hash collision would.
    std::string at_boundary = big;
    at_boundary[64 * 1024] = 'y';
    for (const auto& other : {at_boundary, big.substr(0, big.size() - 1), big + "\n",
                              big.substr(0, 64 * 1024), big + std::string(64 * 1024, ' ')}) {
      CAPTURE(other.size());
      write(s.tmp.file(), other);
      const fs::path name = s.load().entry;  // a miss that writes this text's own entry
      fs::copy_file(first.entry, name, fs::copy_options::overwrite_existing);
      const auto got = s.load();
      CHECK(got.status == Status::miss);
      CHECK(got.detail == "entry of other content; written");
      expect_full_load_result(got, s.tmp.file());
    }
    write(s.tmp.file(), big);
    CHECK(s.load().status == Status::hit);
  }

  TEST_CASE("the same text at another path has its own entry and database") {
    const Setup s;
    const fs::path first = s.warm();
    // Another spelling of the same file: `database` resolves against the path as given.
    const fs::path other_path = s.tmp.dir() / "." / "router.yaml";
    const auto second = config::load_cached(other_path, s.dir);
    CHECK(second.status == Status::miss);
    CHECK(second.entry != first);
    fs::copy_file(first, second.entry, fs::copy_options::overwrite_existing);
    const auto forged = config::load_cached(other_path, s.dir);
    CHECK(forged.status == Status::miss);
    CHECK(forged.detail == "entry of another file or binary; written");
    const auto hit = config::load_cached(other_path, s.dir);
    CHECK(hit.status == Status::hit);
    CHECK(hit.result.config->database == (s.tmp.dir() / "." / "data/r.db").string());
  }

  TEST_CASE("a damaged entry falls back to a full load and is rewritten") {
    const Setup s;
    const fs::path entry = s.warm();
    const std::string good = read(entry);
    for (const std::size_t at :
         {std::size_t{9}, std::size_t{20}, k_header + 3, good.size() / 2, good.size() - 1}) {
      CAPTURE(at);
      std::string bad = good;
      bad[at] = static_cast<char>(bad[at] ^ 0x20);
      write(entry, bad);
      const auto got = s.load();
      CHECK(got.status == Status::miss);
      expect_full_load_result(got, s.tmp.file());
      CHECK(read(entry) == good);
      CHECK(s.load().status == Status::hit);
    }
  }

  TEST_CASE("the checksum leaves out the text, which the comparison with the file checks") {
    const Setup s;
    const fs::path entry = s.warm();
    const std::string good = read(entry);
    // A byte of the stored text (its first copy in the entry), then one of the model (the
    // zone name's last copy), each changed without resealing.
    const std::size_t in_text = good.find("America/New_York");
    const std::size_t in_model = good.rfind("America/New_York");
    REQUIRE(in_text < in_model);
    const std::vector<std::pair<std::size_t, std::string>> cases = {
        {in_text, "entry of other content; written"}, {in_model, "entry damaged; written"}};
    for (const auto& [at, detail] : cases) {
      const std::size_t where = at;  // clang 14 cannot capture a structured binding
      CAPTURE(where);
      std::string bad = good;
      bad[at] = 'a';
      write(entry, bad);
      const auto got = s.load();
      CHECK(got.status == Status::miss);
      CHECK(got.detail == detail);
      expect_full_load_result(got, s.tmp.file());
      CHECK(read(entry) == good);
    }
  }

  TEST_CASE("a truncated, empty or foreign entry falls back to a full load") {
    const Setup s;
    const fs::path entry = s.warm();
    const std::string good = read(entry);
    const std::vector<std::pair<std::string, std::string>> cases = {
        {good.substr(0, good.size() / 2), "entry damaged; written"},
        {good.substr(0, good.size() - 1), "entry damaged; written"},
        {good + "x", "entry damaged; written"},
        {good.substr(0, 10), "not a cache entry; written"},
        {"", "not a cache entry; written"},
        {"version: 1\n" + std::string(100, ' '), "not a cache entry; written"}};
    for (const auto& [bytes, detail] : cases) {
      const std::size_t size = bytes.size();  // clang 14 cannot capture a structured binding
      CAPTURE(size);
      write(entry, bytes);
      const auto got = s.load();
      CHECK(got.status == Status::miss);
      CHECK(got.detail == detail);
      expect_full_load_result(got, s.tmp.file());
    }
  }

  TEST_CASE("an entry of another format version is ignored") {
    const Setup s;
    const fs::path entry = s.warm();
    std::string bytes = read(entry);
    bytes[8] = static_cast<char>(config::k_cache_format + 1);
    write(entry, bytes);
    const auto got = s.load();
    CHECK(got.status == Status::miss);
    CHECK(got.detail == "entry format " + std::to_string(config::k_cache_format + 1) +
                            ", expected " + std::to_string(config::k_cache_format) + "; written");
  }

  TEST_CASE("a well-sealed entry that cannot be decoded falls back to a full load") {
    const Setup s;
    const fs::path entry = s.warm();
    const std::string good = read(entry);
    // The zone name inside the model (its last occurrence; the first is in the text).
    std::string bytes = good;
    bytes.replace(bytes.rfind("America/New_York"), 16, "America/New_Yorx");
    write(entry, reseal(bytes));
    auto got = s.load();
    CHECK(got.status == Status::miss);
    CHECK(got.detail == "entry unusable: unknown time zone 'America/New_Yorx'; written");
    expect_full_load_result(got, s.tmp.file());
    // An enum byte out of range: the strategy of the only pool, found by its name.
    bytes = good;
    const auto pool = bytes.find(std::string("\x05\x00\x00\x00sales", 9));
    REQUIRE(pool != std::string::npos);
    bytes[pool + 9] = 99;
    write(entry, reseal(bytes));
    got = s.load();
    CHECK(got.detail == "entry unusable: enum value out of range; written");
    // Trailing bytes after the model.
    write(entry, reseal(good + "tail"));
    CHECK(s.load().detail == "entry unusable: trailing bytes; written");
    CHECK(s.load().status == Status::hit);
  }

  TEST_CASE("an invalid configuration is never cached, and never served from an old entry") {
    const Setup s;
    write(s.tmp.file(), k_text + "  - name: broken\n    pool: nowhere\n");
    auto got = s.load();
    CHECK(got.status == Status::miss);
    CHECK(got.detail == "no entry; invalid, not cached");
    CHECK_FALSE(got.result.config.has_value());
    CHECK(entries(s.dir).empty());
    // A valid version is cached; breaking the file again is still refused.
    write(s.tmp.file(), k_text);
    s.warm();
    write(s.tmp.file(), k_text + "  - name: broken\n    pool: nowhere\n");
    got = s.load();
    CHECK(got.status == Status::miss);
    CHECK_FALSE(got.result.config.has_value());
    CHECK(got.result.count(config::Diagnostic::Severity::error) == 1);
    CHECK(entries(s.dir).size() == 1);
  }

  TEST_CASE("an entry others could have written is not trusted") {
    const Setup s;
    const fs::path entry = s.warm();
    fs::permissions(entry, fs::perms::group_write | fs::perms::others_write, fs::perm_options::add);
    const auto got = s.load();
    CHECK(got.status == Status::miss);
    CHECK(got.detail == "entry not a private file of this user; written");
    CHECK(s.load().status == Status::hit);
  }

  TEST_CASE("a cache folder that cannot be written is ignored") {
    const Setup s;
    // Below a regular file, no folder can be created, even by root.
    const fs::path dir = s.tmp.file() / "cache";
    for (int i = 0; i < 2; ++i) {
      const auto got = config::load_cached(s.tmp.file(), dir);
      CHECK(got.status == Status::miss);
      CHECK(got.detail == "entry unreadable: Not a directory; not written");
      expect_full_load_result(got, s.tmp.file());
    }
  }

  TEST_CASE("without a cache folder, or without a readable file, the full load runs") {
    const Setup s;
    const auto off = config::load_cached(s.tmp.file(), std::nullopt);
    CHECK(off.status == Status::off);
    CHECK(off.detail == "disabled");
    CHECK(off.entry.empty());
    expect_full_load_result(off, s.tmp.file());
    CHECK_FALSE(fs::exists(s.dir));
    const auto missing = config::load_cached(s.tmp.dir() / "absent.yaml", s.dir);
    CHECK(missing.status == Status::off);
    CHECK(missing.detail == "not a readable regular file");
    REQUIRE(missing.result.diagnostics.size() == 1);
    CHECK(missing.result.diagnostics[0].message.starts_with("cannot read the configuration"));
  }

  TEST_CASE("the cache folder comes from the environment and can be turned off") {
    using P = std::optional<fs::path>;
    CHECK(config::cache_dir("/c", "/x", "/h") == P("/c"));
    CHECK(config::cache_dir("rel/c", "/x", "/h") == P("rel/c"));
    CHECK(config::cache_dir("", "/x", "/h") == std::nullopt);
    CHECK(config::cache_dir("off", "/x", "/h") == std::nullopt);
    CHECK(config::cache_dir(nullptr, "/x", "/h") == P("/x/router"));
    CHECK(config::cache_dir(nullptr, "relative", "/h") == P("/h/.cache/router"));
    CHECK(config::cache_dir(nullptr, "", "/h") == P("/h/.cache/router"));
    CHECK(config::cache_dir(nullptr, nullptr, "/h") == P("/h/.cache/router"));
    CHECK(config::cache_dir(nullptr, nullptr, "") == std::nullopt);
    CHECK(config::cache_dir(nullptr, nullptr, nullptr) == std::nullopt);
  }

  TEST_CASE("systemd's $CACHE_DIRECTORY comes after $ROUTER_CACHE_DIR, before the XDG folders") {
    using P = std::optional<fs::path>;
    // An environment variable set for this test case and put back as it was after it.
    struct Env {
      Env(const char* name, const char* value) : m_name(name) {
        if (const char* old = std::getenv(name)) {
          m_old = old;
        }
        if (value) {
          ::setenv(name, value, 1);
        } else {
          ::unsetenv(name);
        }
      }
      ~Env() {
        if (m_old) {
          ::setenv(m_name, m_old->c_str(), 1);
        } else {
          ::unsetenv(m_name);
        }
      }
      Env(const Env&) = delete;
      Env& operator=(const Env&) = delete;

    private:
      const char* m_name;
      std::optional<std::string> m_old;
    };
    const Env xdg("XDG_CACHE_HOME", "/x");
    const Env home("HOME", "/h");
    {
      const Env mine("ROUTER_CACHE_DIR", nullptr);
      const Env systemd("CACHE_DIRECTORY", "/var/cache/router");
      CHECK(config::cache_dir_from_env() == P("/var/cache/router"));
    }
    {
      // Several CacheDirectory= entries: systemd joins them with ':'; the first is ours.
      const Env mine("ROUTER_CACHE_DIR", nullptr);
      const Env systemd("CACHE_DIRECTORY", "/var/cache/router:/var/cache/other");
      CHECK(config::cache_dir_from_env() == P("/var/cache/router"));
    }
    {
      const Env mine("ROUTER_CACHE_DIR", "/c");
      const Env systemd("CACHE_DIRECTORY", "/var/cache/router");
      CHECK(config::cache_dir_from_env() == P("/c"));
    }
    {
      const Env mine("ROUTER_CACHE_DIR", "off");
      const Env systemd("CACHE_DIRECTORY", "/var/cache/router");
      CHECK(config::cache_dir_from_env() == std::nullopt);
    }
    {
      // Not absolute (systemd never sets that): ignored, like a relative XDG_CACHE_HOME.
      const Env mine("ROUTER_CACHE_DIR", nullptr);
      const Env systemd("CACHE_DIRECTORY", "relative");
      CHECK(config::cache_dir_from_env() == P("/x/router"));
    }
    {
      const Env mine("ROUTER_CACHE_DIR", nullptr);
      const Env systemd("CACHE_DIRECTORY", "");
      CHECK(config::cache_dir_from_env() == P("/x/router"));
    }
  }

  TEST_CASE("writing an entry removes entries a month older, and nothing else") {
    const Setup s;
    const fs::path entry = s.warm();
    const auto now = fs::last_write_time(entry);
    const auto old = now - std::chrono::hours{24 * 31};
    for (const char* name : {"old.cfg", "x.cfg.tmp.abc123", "notes.txt"}) {
      write(s.dir / name, "x");
      fs::last_write_time(s.dir / name, old);
    }
    write(s.dir / "recent.cfg", "x");
    fs::last_write_time(s.dir / "recent.cfg", now - std::chrono::hours{24 * 29});
    write(s.tmp.file(), k_text + "# edited\n");
    CHECK(s.load().detail == "no entry; written");
    CHECK_FALSE(fs::exists(s.dir / "old.cfg"));
    CHECK_FALSE(fs::exists(s.dir / "x.cfg.tmp.abc123"));
    CHECK(fs::exists(s.dir / "notes.txt"));
    CHECK(fs::exists(s.dir / "recent.cfg"));
    CHECK(fs::exists(entry));
  }
}
