#pragma once
// Allocations that last until the process ends: see permanent.cpp.

#include <cstddef>

namespace router::util {

// While one is alive, what `operator new` allocates on its thread comes from one block in
// turn, 16-byte aligned, and is never given back: `operator delete` of such memory does
// nothing. For data built once and kept until the process ends (the decoded configuration:
// thousands of small strings and vectors). A request the block cannot hold, or any request
// when none is alive, goes to malloc as usual. Scopes do not nest: an inner one is inert.
// A process reserves at most eight blocks, one thread at a time: further scopes are inert.
// Does nothing under AddressSanitizer, which must see every allocation.
class PermanentAllocations {
public:
  // capacity: the block's size in bytes, reserved from the heap; pages never written are
  // never faulted in.
  explicit PermanentAllocations(std::size_t capacity);
  ~PermanentAllocations();
  PermanentAllocations(const PermanentAllocations&) = delete;
  PermanentAllocations& operator=(const PermanentAllocations&) = delete;

  // Bytes taken from the block so far, by this scope; 0 for an inert one.
  std::size_t used() const;
  // False where scopes are always inert (under AddressSanitizer).
  static bool supported();

private:
  // What the block of the scope alive on this thread holds.
  static std::size_t taken();
  bool m_active = false;
};

}  // namespace router::util
