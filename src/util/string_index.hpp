#pragma once
// Numbers the distinct strings it is given 0, 1, 2…: a hash table for loops that look up a
// handful of short keys (agents, pools, sources) millions of times. Open addressing over a
// power-of-two table of indexes, so a lookup is one hash, a mask and usually one compare.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace router::util {

// Distinct strings, each with its index in order of first appearance.
class StringIndex {
public:
  // The index of `key`, added if new.
  std::size_t index(std::string_view key) {
    if ((m_keys.size() + 1) * 2 > m_slots.size()) {
      grow();
    }
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
      const std::int32_t slot = m_slots[i];
      if (slot < 0) {
        m_slots[i] = static_cast<std::int32_t>(m_keys.size());
        m_keys.emplace_back(key);
        return m_keys.size() - 1;
      }
      if (m_keys[static_cast<std::size_t>(slot)] == key) {
        return static_cast<std::size_t>(slot);
      }
    }
  }
  // The strings, by index.
  const std::vector<std::string>& keys() const { return m_keys; }

private:
  static std::size_t hash(std::string_view key) { return std::hash<std::string_view>{}(key); }
  void grow() {
    m_slots.assign(m_slots.empty() ? 64 : m_slots.size() * 2, -1);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t k = 0; k < m_keys.size(); ++k) {
      std::size_t i = hash(m_keys[k]) & mask;
      while (m_slots[i] >= 0) {
        i = (i + 1) & mask;
      }
      m_slots[i] = static_cast<std::int32_t>(k);
    }
  }

  std::vector<std::string> m_keys;
  std::vector<std::int32_t> m_slots;
};

}  // namespace router::util
