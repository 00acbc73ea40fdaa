#include "config/cache.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/model_codec.hpp"
#include "util/permanent.hpp"

namespace router::config {
namespace {

// An entry: magic, format, body length, body checksum, then the body: identity, source
// text, its hash64 (core::Config::source_hash, so a hit does not hash the text again),
// warnings, model. The checksum covers every byte of the body but the text's own: a hit
// compares the text with the file byte for byte, which catches a damaged one as well.
constexpr std::string_view k_magic = "ROUTERC\n";
constexpr std::size_t k_header_size = 8 + 4 + 8 + 8;
// Entries untouched this long are removed when a new one is written.
constexpr auto k_max_age = std::chrono::hours{24 * 30};

// Closes a file descriptor on scope exit.
class Fd {
public:
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return m_fd; }

private:
  int m_fd;
};

// Every byte of an open file from its start, or nullopt on a read error.
std::optional<std::string> read_all(int fd, std::size_t size_hint) {
  // One byte more than expected, so the read that sees the end needs no reallocation.
  std::string out(size_hint + 1, '\0');
  std::size_t done = 0;
  for (;;) {
    if (done == out.size()) {
      out.resize(out.size() + 4096);
    }
    const ssize_t n = ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return std::nullopt;
    }
    if (n == 0) {
      out.resize(done);
      return out;
    }
    done += static_cast<std::size_t>(n);
  }
}

// The configuration file, read on a hit through one small buffer rather than copied whole:
// a large file is hashed in a first pass and compared with the entry's text in a second, so
// no megabyte-sized buffer is allocated (and faulted in) just to be thrown away.
class Source {
public:
  explicit Source(const std::filesystem::path& file)
      : m_fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC)) {
    struct stat st {};
    m_ok = m_fd.get() >= 0 && ::fstat(m_fd.get(), &st) == 0 && S_ISREG(st.st_mode);
    m_size_hint = m_ok ? static_cast<std::size_t>(st.st_size) : 0;
  }
  // False when the file cannot be opened as a regular file (load() then says why).
  bool ok() const { return m_ok; }

  // hash64(bytes, seed) of the whole file; nullopt on a read error.
  std::optional<std::uint64_t> hash(std::uint64_t seed) {
    Hash64 h(seed);
    const bool read = each_piece([&](std::string_view piece) {
      h.update(piece);
      return true;
    });
    return read ? std::optional(h.finish()) : std::nullopt;
  }

  // True when the file's bytes now are exactly `expected`.
  bool equals(std::string_view expected) {
    std::size_t at = 0;
    const bool same = each_piece([&](std::string_view piece) {
      if (piece.size() > expected.size() - at || expected.compare(at, piece.size(), piece) != 0) {
        return false;
      }
      at += piece.size();
      return true;
    });
    return same && at == expected.size();
  }

  // The whole text, for a full load.
  std::optional<std::string> text() const { return read_all(m_fd.get(), m_size_hint); }

private:
  // Calls take(piece) for the file's bytes in order from the start, until it returns false.
  // False on a read error or when take stopped early.
  template <typename Take> bool each_piece(Take take) {
    if (!m_buffer) {
      m_buffer = std::make_unique_for_overwrite<char[]>(k_piece);
    }
    for (off_t at = 0;;) {
      const ssize_t n = ::pread(m_fd.get(), m_buffer.get(), k_piece, at);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        return false;
      }
      if (n == 0) {
        return true;
      }
      if (!take(std::string_view(m_buffer.get(), static_cast<std::size_t>(n)))) {
        return false;
      }
      at += n;
    }
  }

  static constexpr std::size_t k_piece = 64 * 1024;
  Fd m_fd;
  bool m_ok = false;
  std::size_t m_size_hint = 0;
  std::unique_ptr<char[]> m_buffer;
};

// A file mapped read-only. Entries are only ever replaced by rename, never rewritten in
// place, so a mapping cannot lose its bytes under the reader. Populated at once: the
// checksum reads every byte anyway, and one call costs less than a page fault per page.
class FileMapping {
public:
  FileMapping(int fd, std::size_t size) : m_size(size) {
    if (size > 0) {
      void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      m_data = p == MAP_FAILED ? nullptr : p;
    }
  }
  ~FileMapping() {
    if (m_data) {
      ::munmap(m_data, m_size);
    }
  }
  FileMapping(const FileMapping&) = delete;
  FileMapping& operator=(const FileMapping&) = delete;
  // The bytes; empty for an empty file or when mapping failed.
  std::string_view bytes() const {
    return m_data ? std::string_view(static_cast<const char*>(m_data), m_size) : std::string_view();
  }

private:
  void* m_data = nullptr;
  std::size_t m_size;
};

// The running binary, by device, inode, size and modification time: a rebuilt router may
// validate differently, so its entries are its own.
std::string binary_identity() {
  struct stat st {};
  if (::stat("/proc/self/exe", &st) != 0) {
    return "binary unknown";
  }
  return "binary " + std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" +
         std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

// Everything besides the text that the model depends on. `database` is resolved against
// the path as given, so both the absolute path and the given one take part.
std::string identity_of(const std::filesystem::path& file) {
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(file, ec);
  return "router config cache format " + std::to_string(k_cache_format) + "\n" + binary_identity() +
         "\n" + absolute.string() + "\n" + file.string();
}

std::string hex(std::uint64_t v) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) {
    out[static_cast<std::size_t>(i)] = k_digits[v & 0xf];
  }
  return out;
}

// hash64 of an entry's body without the bytes of its source text; nullopt when the body is
// too short to hold an identity and a text.
std::optional<std::uint64_t> body_checksum(std::string_view body) {
  try {
    ByteReader r(body);
    r.str_view();  // the identity
    const std::string_view text = r.str_view();
    const auto text_at = static_cast<std::size_t>(text.data() - body.data());
    Hash64 h;
    h.update(body.substr(0, text_at));
    h.update(body.substr(text_at + text.size()));
    return h.finish();
  } catch (const DecodeError&) {
    return std::nullopt;
  }
}

// The model stored in `entry` when it was written for exactly this identity and text;
// otherwise nullopt, with the reason in `why`.
std::optional<LoadResult> read_entry(const std::filesystem::path& entry,
                                     const std::string& identity, Source& text, Lifetime lifetime,
                                     std::string& why) {
  const Fd fd(::open(entry.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (fd.get() < 0) {
    why = errno == ENOENT ? "no entry" : std::string("entry unreadable: ") + std::strerror(errno);
    return std::nullopt;
  }
  // Someone else's entry could say anything; only trust our own, private files.
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid() ||
      (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    why = "entry not a private file of this user";
    return std::nullopt;
  }
  // Shared: the configuration decoded from it keeps viewing its source text in place.
  const auto mapping =
      std::make_shared<const FileMapping>(fd.get(), static_cast<std::size_t>(st.st_size));
  const std::string_view bytes = mapping->bytes();
  if (bytes.size() < k_header_size || bytes.substr(0, 8) != k_magic) {
    why = "not a cache entry";
    return std::nullopt;
  }
  try {
    ByteReader header(bytes.substr(8, k_header_size - 8));
    const auto format = header.u32();
    const auto size = header.u64();
    const auto checksum = header.u64();
    const std::string_view body = bytes.substr(k_header_size);
    if (format != k_cache_format) {
      why =
          "entry format " + std::to_string(format) + ", expected " + std::to_string(k_cache_format);
      return std::nullopt;
    }
    if (size != body.size() || body_checksum(body) != checksum) {
      why = "entry damaged";
      return std::nullopt;
    }
    ByteReader r(body);
    if (r.str_view() != identity) {
      why = "entry of another file or binary";
      return std::nullopt;
    }
    const std::string_view stored = r.str_view();
    if (!text.equals(stored)) {
      why = "entry of other content";
      return std::nullopt;
    }
    const std::uint64_t stored_hash = r.u64();
    LoadResult result;
    result.diagnostics = decode_diagnostics(r);
    {
      // Decoded, the model takes about four times its encoded size (2,000 agents and 500
      // rules: 1.39 MB from 0.34 MB), as structs are wider than their fields' bytes. What
      // does not fit comes from malloc; pages of the block never written cost nothing.
      std::optional<util::PermanentAllocations> permanent;
      if (lifetime == Lifetime::process) {
        permanent.emplace(6 * r.remaining() + 65536);
      }
      result.config = decode_config(r);
    }
    if (result.config) {
      result.config->source_text = stored;
      result.config->source_owner = mapping;
      result.config->source_hash = stored_hash;
    }
    if (!r.at_end()) {
      throw DecodeError("trailing bytes");
    }
    return result;
  } catch (const std::exception& e) {
    why = std::string("entry unusable: ") + e.what();
    return std::nullopt;
  }
}

// Writes `bytes` to a temporary file beside `entry`, then renames it over `entry`, so a
// reader sees the old entry or the new one, never half of one.
bool write_atomically(const std::filesystem::path& entry, const std::string& bytes) {
  std::string temp = entry.string() + ".tmp.XXXXXX";
  const Fd fd(::mkstemp(temp.data()));
  if (fd.get() < 0) {
    return false;
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      ::unlink(temp.c_str());
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::rename(temp.c_str(), entry.c_str()) != 0) {
    ::unlink(temp.c_str());
    return false;
  }
  return true;
}

// Removes entries (and leftover temporary files) much older than the one just written,
// measured by the file system's own time stamps rather than the clock.
void prune(const std::filesystem::path& dir, const std::filesystem::path& fresh) {
  std::error_code ec;
  const auto now = std::filesystem::last_write_time(fresh, ec);
  if (ec) {
    return;
  }
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool ours = name.ends_with(".cfg") || name.find(".cfg.tmp.") != std::string::npos;
    std::error_code stat_ec;
    const auto when = it->last_write_time(stat_ec);
    if (ours && !stat_ec && when + k_max_age < now) {
      std::filesystem::remove(it->path(), stat_ec);
    }
  }
}

// Stores a valid load; returns what happened, for -v -v.
std::string write_entry(const std::filesystem::path& dir, const std::filesystem::path& entry,
                        const std::string& identity, const std::string& text,
                        const LoadResult& result) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  ByteWriter body;
  body.str(identity);
  body.str(text);
  body.u64(hash64(text));
  encode(body, result.diagnostics);
  encode(body, *result.config);
  ByteWriter header;
  header.u32(k_cache_format);
  header.u64(body.bytes().size());
  header.u64(body_checksum(body.bytes()).value());
  const std::string bytes = std::string(k_magic) + header.bytes() + body.bytes();
  if (!write_atomically(entry, bytes)) {
    return "not written";
  }
  prune(dir, entry);
  return "written";
}

}  // namespace

std::optional<std::filesystem::path> cache_dir(const char* router_cache_dir,
                                               const char* xdg_cache_home, const char* home) {
  if (router_cache_dir) {
    const std::string dir = router_cache_dir;
    if (dir.empty() || dir == "off") {
      return std::nullopt;
    }
    return std::filesystem::path(dir);
  }
  // The XDG specification says to ignore a relative XDG_CACHE_HOME.
  if (xdg_cache_home && xdg_cache_home[0] == '/') {
    return std::filesystem::path(xdg_cache_home) / "router";
  }
  if (home && home[0] != '\0') {
    return std::filesystem::path(home) / ".cache" / "router";
  }
  return std::nullopt;
}

std::optional<std::filesystem::path> cache_dir_from_env() {
  const char* mine = std::getenv("ROUTER_CACHE_DIR");
  if (!mine) {
    // systemd's CacheDirectory=: a ':'-separated list of absolute folders; the first is ours.
    const char* systemd = std::getenv("CACHE_DIRECTORY");
    const std::string_view list = systemd ? systemd : "";
    const std::string_view first = list.substr(0, list.find(':'));
    if (first.starts_with('/')) {
      return std::filesystem::path(first);
    }
  }
  return cache_dir(mine, std::getenv("XDG_CACHE_HOME"), std::getenv("HOME"));
}

CachedLoad load_cached(const std::filesystem::path& file,
                       const std::optional<std::filesystem::path>& dir, Lifetime lifetime) {
  CachedLoad out;
  std::optional<Source> source;
  if (dir) {
    source.emplace(file);
  }
  const std::string identity = dir ? identity_of(file) : std::string();
  const auto hash = source && source->ok() ? source->hash(hash64(identity)) : std::nullopt;
  if (!hash) {
    out.result = load(file);
    out.detail = dir ? "not a readable regular file" : "disabled";
    return out;
  }
  out.entry = *dir / (hex(*hash) + ".cfg");
  if (auto cached = read_entry(out.entry, identity, *source, lifetime, out.detail)) {
    out.result = std::move(*cached);
    out.status = CacheStatus::hit;
    return out;
  }
  out.status = CacheStatus::miss;
  const auto text = source->text();
  if (!text) {
    out.result = load(file);
    out.detail += "; file unreadable";
    return out;
  }
  // Named by the text actually loaded, which may be newer than the one hashed above.
  out.entry = *dir / (hex(hash64(*text, hash64(identity))) + ".cfg");
  out.result = load_text(*text, file);
  if (out.result.config && out.result.count(Diagnostic::Severity::error) == 0) {
    out.detail += "; " + write_entry(*dir, out.entry, identity, *text, out.result);
  } else {
    out.detail += "; invalid, not cached";
  }
  return out;
}

const char* to_string(CacheStatus status) {
  switch (status) {
  case CacheStatus::off: return "off";
  case CacheStatus::hit: return "hit";
  case CacheStatus::miss: return "miss";
  }
  return "?";
}

}  // namespace router::config
