// util/heap.cpp in a process of its own: what it advises depends on where the heap stands
// when it is called, which a process shared with other tests cannot control. Exits 0 when
// the checks pass, 1 when one fails, 77 (skipped) where nothing is advised by design.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "util/heap.hpp"

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <unistd.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define HEAP_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_TEST_ASAN 1
#endif
#endif

namespace {

[[maybe_unused]] constexpr std::uintptr_t k_huge = std::uintptr_t{2} << 20;
int g_failures = 0;

void check(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what);
  if (!ok) {
    ++g_failures;
  }
}

// The VmFlags of the mapping of /proc/self/smaps that holds address, "" when none does.
[[maybe_unused]] std::string vm_flags_at(std::uintptr_t address) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    unsigned long long begin = 0;
    unsigned long long end = 0;
    if (std::sscanf(line.c_str(), "%llx-%llx ", &begin, &end) == 2) {
      inside = begin <= address && address < end;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line.substr(8);
    }
  }
  return "";
}

}  // namespace

int main() {
#if !defined(__linux__) || !defined(__GLIBC__)
  std::puts("SKIP: the heap is advised only with glibc on Linux");
  return 77;
#elif defined(HEAP_TEST_ASAN)
  // AddressSanitizer's allocator is not the heap: nothing may be advised.
  const router::util::AddressSpan span = router::util::prefer_huge_heap_pages();
  check(span.begin == span.end, "nothing advised under AddressSanitizer");
  return g_failures == 0 ? 0 : 1;
#else
  if (!std::ifstream("/sys/kernel/mm/transparent_hugepage/enabled")) {
    std::puts("SKIP: this kernel has no transparent huge pages");
    return 77;
  }
  // The heap as one start in fifty finds it: the top chunk runs across a huge-page boundary,
  // its start 64 KB below it. A block up to that boundary would come from the top. (The
  // first line printed allocates stdout's buffer: it comes before the top is measured.)
  std::puts("heap_advice: the heap starts just below a huge-page boundary");
  mallopt(M_TOP_PAD, 1 << 20);
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  const auto break_before = reinterpret_cast<std::uintptr_t>(sbrk(0));
  const std::uintptr_t top_begin = break_before - mallinfo2().keepcost;
  const std::uintptr_t crossed = (break_before + 65536 + 64 + k_huge - 1) & ~(k_huge - 1);
  void* volatile below = std::malloc(crossed - 65536 - top_begin - 8);
  const auto top_end = reinterpret_cast<std::uintptr_t>(sbrk(0));
  const std::uintptr_t top_start = top_end - mallinfo2().keepcost;
  check(below != nullptr && top_start < crossed && top_end > crossed + 4096,
        "set-up: the top chunk crosses a huge-page boundary");

  const router::util::AddressSpan span = router::util::prefer_huge_heap_pages();
  check(span.begin != span.end, "a span is advised");
  check(span.begin % k_huge == 0 && span.end % k_huge == 0 && span.end - span.begin >= k_huge,
        "the span is whole huge pages");
  const std::string flags = vm_flags_at(span.begin);
  check(flags.find(" hg") != std::string::npos, "the kernel has the span marked for huge pages");
  void* volatile next = std::malloc(1 << 20);
  const auto at = reinterpret_cast<std::uintptr_t>(next);
  check(span.begin <= at && at + (1 << 20) <= span.end, "what is allocated next is in the span");
  std::free(next);
  return g_failures == 0 ? 0 : 1;
#endif
}
