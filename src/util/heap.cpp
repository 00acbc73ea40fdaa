// A router run is short and allocates most of its memory once, at start-up: the decoded
// configuration, the snapshot of the agents, SQLite's schema and pages. Each new 4 KB page
// costs a page fault when first written; on a virtual machine with expensive faults that
// was a third of a one-lead run (808 faults at about 11 us each). A 2 MB transparent huge
// page takes one fault for 512 pages. glibc does the same with GLIBC_TUNABLES
// glibc.malloc.hugetlb=1, which only the environment can set; this is its equivalent for
// the first part of the heap.

#include "util/heap.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define ROUTER_HEAP_IS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ROUTER_HEAP_IS_ASAN 1
#endif
#endif

#if defined(__linux__) && defined(__GLIBC__) && !defined(ROUTER_HEAP_IS_ASAN)
#define ROUTER_HEAP_ADVISE 1
#endif

namespace router::util {

#if defined(ROUTER_HEAP_ADVISE)
namespace {

// The block below the advised span: never written, never freed.
void* volatile g_filler = nullptr;

}  // namespace
#endif

AddressSpan prefer_huge_heap_pages() {
#if defined(ROUTER_HEAP_ADVISE)
  constexpr std::uintptr_t huge = std::uintptr_t{2} << 20;
  constexpr int pad = 8 << 20;
  // The heap grows by what is asked plus the pad (and a trim keeps the pad), and requests up
  // to 4 MB come from the heap, not from mappings of their own (glibc's own threshold
  // rises to 32 MB after the first such mapping is freed).
  mallopt(M_TOP_PAD, pad);
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  // The top chunk, where the next allocations come from, ends at the break. A block that
  // fills it up to just before a huge-page boundary leaves the top there: the heap grows
  // past it by the pad, and what follows is allocated in whole, aligned huge pages. The
  // block is never written, so its pages are never faulted in. The top's 16-byte header
  // stays below the boundary: a page written there before the madvise would take the place
  // of the huge one.
  // The boundary is the first one past the break, not the first past the top's start: when
  // the top already crossed a boundary (the heap began just below one, 1 start in 50), a
  // block up to it would come from the top, the heap would not grow, and nothing would be
  // advised.
  const auto top_end = reinterpret_cast<std::uintptr_t>(sbrk(0));
  const std::uintptr_t top_begin = top_end - mallinfo2().keepcost;
  const std::uintptr_t boundary = (top_end + 64 + huge - 1) & ~(huge - 1);
  // A chunk has an 8-byte header (glibc, 64-bit): a request of n takes n + 8, rounded to 16.
  g_filler = std::malloc(boundary - 16 - top_begin - 8);
  if (g_filler == nullptr) {
    return {};
  }
  const auto end = reinterpret_cast<std::uintptr_t>(sbrk(0)) & ~(huge - 1);
  if (end <= boundary ||
      madvise(reinterpret_cast<void*>(boundary), end - boundary, MADV_HUGEPAGE) != 0) {
    return {};
  }
  return {boundary, end};
#else
  return {};
#endif
}

}  // namespace router::util
