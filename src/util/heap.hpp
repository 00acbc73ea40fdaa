#pragma once
// Start-up tuning of the C heap: see heap.cpp.

#include <cstdint>

namespace router::util {

// A span of addresses [begin, end); empty when begin == end.
struct AddressSpan {
  std::uintptr_t begin = 0;
  std::uintptr_t end = 0;
};

// Grows the heap once by a few megabytes, so that what is allocated next starts at a
// huge-page boundary, and asks the kernel to back that span with transparent huge pages
// (madvise MADV_HUGEPAGE; it has no effect where THP is "never", and "always" needs none).
// Returns the span advised, empty when none was. Call it first in main, before the work
// allocates. Does nothing under AddressSanitizer, whose allocator is not the heap.
AddressSpan prefer_huge_heap_pages();

}  // namespace router::util
