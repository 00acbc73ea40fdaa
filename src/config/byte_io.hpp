#pragma once
// Bytes in and out for the configuration cache: fixed-width little-endian integers,
// length-prefixed strings, bounds-checked reading, and a fast hash.

#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace router::config {

// Malformed or unusable encoded data (truncated, out of range, unknown zone, bad regex).
class DecodeError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Appends encoded values to a byte string.
class ByteWriter {
public:
  // Fixed-width unsigned and signed integers, little endian.
  void u8(std::uint8_t v) { m_out.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  // A double by its bit pattern, so it round-trips exactly.
  void f64(double v);
  // A length-prefixed byte string.
  void str(std::string_view s);
  // The bytes so far.
  const std::string& bytes() const { return m_out; }
  // Takes the bytes out, leaving the writer empty.
  std::string take() { return std::move(m_out); }

private:
  std::string m_out;
};

// Reads values back; every read checks the bounds and throws DecodeError past the end.
class ByteReader {
public:
  explicit ByteReader(std::string_view in) : m_in(in) {}
  // Inline: a large cache entry is millions of these reads (bench/README.md).
  std::uint8_t u8() { return static_cast<std::uint8_t>(*take(1)); }
  std::uint32_t u32() { return word<std::uint32_t>(); }
  std::uint64_t u64() { return word<std::uint64_t>(); }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  double f64() { return std::bit_cast<double>(u64()); }
  std::string str() { return std::string(str_view()); }
  // A view of the next string, without copying (valid while the input is).
  std::string_view str_view() {
    const std::uint32_t n = u32();
    return {take(n), n};
  }
  // A list length, checked against the bytes left (each item takes at least one byte).
  std::uint32_t count() {
    const auto n = u32();
    if (n > m_in.size() - m_pos) [[unlikely]] {
      throw DecodeError("list longer than the data");
    }
    return n;
  }
  // True when every byte was read.
  bool at_end() const { return m_pos == m_in.size(); }
  // The number of bytes not read yet.
  std::size_t remaining() const { return m_in.size() - m_pos; }

private:
  // The next n bytes; the one bounds check of every read (small enough to be inlined into
  // each: the throw is out of line).
  const char* take(std::size_t n) {
    if (n > m_in.size() - m_pos) [[unlikely]] {
      truncated();
    }
    const char* out = m_in.data() + m_pos;
    m_pos += n;
    return out;
  }
  // The next sizeof(T) bytes as an unsigned little-endian number, whatever the host.
  template <typename T> T word() {
    const char* bytes = take(sizeof(T));
    if constexpr (std::endian::native == std::endian::little) {
      T v;
      std::memcpy(&v, bytes, sizeof v);
      return v;
    } else {
      T v = 0;
      for (std::size_t i = sizeof(T); i-- > 0;) {
        v = static_cast<T>((v << 8) | static_cast<std::uint8_t>(bytes[i]));
      }
      return v;
    }
  }
  [[noreturn]] static void truncated();
  std::string_view m_in;
  std::size_t m_pos = 0;
};

// A fast 64-bit hash of bytes (FNV-1a over 64-bit words in four lanes, then a final mix). Not
// cryptographic: used as the cache key and as the entry's checksum against damage.
std::uint64_t hash64(std::string_view bytes, std::uint64_t seed = 0);

// hash64 of bytes that arrive in pieces: after update(a) and update(b), finish() equals
// hash64(a + b, seed). Lets a file be hashed through a small buffer.
class Hash64 {
public:
  explicit Hash64(std::uint64_t seed = 0);
  void update(std::string_view bytes);
  std::uint64_t finish() const;

private:
  void blocks(const char* bytes, std::size_t count);  // count whole 32-byte blocks
  std::uint64_t m_lane[4];
  char m_pending[32] = {};  // the start of an incomplete block
  std::size_t m_pending_size = 0;
  std::uint64_t m_size = 0;
};

}  // namespace router::config
