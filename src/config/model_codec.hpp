#pragma once
// The binary form of a validated core::Config, for the configuration cache (cache.hpp).
// Fixed-width little-endian integers, length-prefixed strings and lists; regexes and time
// zones are stored by text and rebuilt on decoding exactly as the loader builds them.

#include <cstdint>
#include <vector>

#include "config/byte_io.hpp"
#include "config/loader.hpp"
#include "core/model.hpp"

namespace router::config {

// The version of the binary form. Rule: any change to core::Config or to one of the types
// in core/model.hpp, or to the encoding below, bumps this constant, so that entries written
// by an older binary are never decoded as if they had today's shape.
// 3: the entry keeps its text's hash64.
// 4: the entry's checksum leaves out its text (config/cache.cpp).
// 5: the name indexes and member positions are stored (core::ConfigIndexes).
inline constexpr std::uint32_t k_cache_format = 5;

// Appends the whole model to `w`, with the indexes reindex() built: they depend on this
// binary's std::hash, as the cache entry does (its identity names the binary).
void encode(ByteWriter& w, const core::Config& config);
// Decodes a model written by encode: re-resolves time zones by name (zones.hpp),
// recompiles `matches` regexes, and takes back the stored indexes when they fit the decoded
// vectors (Config::restore), else calls reindex(). Throws DecodeError.
core::Config decode_config(ByteReader& r);

// Appends diagnostics (the warnings of a load) to `w`.
void encode(ByteWriter& w, const std::vector<Diagnostic>& diagnostics);
// Decodes diagnostics written by encode. Throws DecodeError.
std::vector<Diagnostic> decode_diagnostics(ByteReader& r);

}  // namespace router::config
