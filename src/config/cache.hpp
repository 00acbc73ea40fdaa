#pragma once
// The configuration cache (SPEC §8): a validated model kept in binary form, so that a large
// configuration is parsed and validated once rather than on every run. The file is still
// read every time; an entry is used only when the text stored in it equals those bytes
// exactly, so an edit is always seen. Only valid configurations are written, and any
// damaged, foreign or outdated entry is ignored (the full load runs and rewrites it). The
// cache is an optimisation only: when it cannot be read or written, nothing is reported.

#include <filesystem>
#include <optional>
#include <string>

#include "config/loader.hpp"

namespace router::config {

// How the cache served one load.
enum class CacheStatus {
  off,   // no cache folder, or the file could not be read (the full load reports why)
  hit,   // the model came from the entry
  miss,  // the full load ran (and wrote the entry when the configuration is valid)
};

// What load_cached did: the load itself, and how the cache took part.
struct CachedLoad {
  LoadResult result;
  CacheStatus status = CacheStatus::off;
  std::filesystem::path entry;  // the entry file for this text (empty when off)
  std::string detail;           // why a miss or off, e.g. "no entry; written"
};

// The cache folder given these environment values (nullptr = unset): $ROUTER_CACHE_DIR
// when set ("" or "off" disables the cache), else $XDG_CACHE_HOME/router when absolute,
// else $HOME/.cache/router; nullopt when disabled or nothing applies.
std::optional<std::filesystem::path> cache_dir(const char* router_cache_dir,
                                               const char* xdg_cache_home, const char* home);
// The cache folder from this process's environment: as cache_dir(), except that when
// $ROUTER_CACHE_DIR is unset the first folder of $CACHE_DIRECTORY (set by systemd's
// CacheDirectory=) comes before the XDG folders, when absolute.
std::optional<std::filesystem::path> cache_dir_from_env();

// How long the caller keeps the configuration it loads.
enum class Lifetime {
  scoped,   // freed as usual
  process,  // until the process ends, never freed (cli::Context): a hit decodes the model
            // into allocations that are never given back (util/permanent.hpp)
};

// Loads `file` as load() does, using and refreshing the cache in `dir` (nullopt: no cache).
// The result is always what a full load of the file's current bytes gives.
CachedLoad load_cached(const std::filesystem::path& file,
                       const std::optional<std::filesystem::path>& dir,
                       Lifetime lifetime = Lifetime::scoped);

// "off", "hit" or "miss".
const char* to_string(CacheStatus status);

}  // namespace router::config
