// A router run that loads its configuration from the cache decodes it into thousands of
// small strings and vectors, and keeps them until it exits (cli::Context). Each took glibc's
// malloc about 140 instructions: a fresh heap has nothing in its caches or bins, so every
// request searched them before splitting the top chunk. Taken in turn from one block, the
// same requests cost a pointer bump. The block is never freed: the process ends first.
//
// The replaceable global `operator new` and `operator delete` (C++ [new.delete.single]) are
// defined here. The other forms need no replacement: libstdc++'s array, nothrow and sized
// forms call these two, and the aligned forms allocate apart and free what they allocated.

#include "util/permanent.hpp"

#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define ROUTER_PERMANENT_IS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ROUTER_PERMANENT_IS_ASAN 1
#endif
#endif

#if !defined(ROUTER_PERMANENT_IS_ASAN)
#define ROUTER_PERMANENT_REPLACES_NEW 1
#endif

namespace router::util {

#if defined(ROUTER_PERMANENT_REPLACES_NEW)
namespace {

constexpr std::size_t k_align = 16;

// Every block ever reserved lies in [g_low, g_high): a delete below or above is malloc's.
// Blocks are few (one per scope), and a pointer between two of them that is not theirs is
// malloc's too: it is checked against the blocks themselves.
struct Block {
  char* begin = nullptr;
  char* next = nullptr;
  char* end = nullptr;
};
constexpr std::size_t k_max_blocks = 8;
Block g_blocks[k_max_blocks];
std::size_t g_block_count = 0;
std::uintptr_t g_low = UINTPTR_MAX;
std::uintptr_t g_high = 0;
// The block of the scope alive on this thread, if any.
thread_local Block* t_block = nullptr;

bool is_permanent(const void* p) {
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  if (a < g_low || a >= g_high) {
    return false;
  }
  for (std::size_t i = 0; i < g_block_count; ++i) {
    if (a >= reinterpret_cast<std::uintptr_t>(g_blocks[i].begin) &&
        a < reinterpret_cast<std::uintptr_t>(g_blocks[i].end)) {
      return true;
    }
  }
  return false;
}

void* from_malloc(std::size_t n) {
  for (;;) {
    if (void* p = std::malloc(n == 0 ? 1 : n)) {
      return p;
    }
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) {
      throw std::bad_alloc();
    }
    handler();
  }
}

}  // namespace

PermanentAllocations::PermanentAllocations(std::size_t capacity) {
  if (t_block != nullptr || g_block_count == k_max_blocks) {
    return;  // inert: nested, or too many blocks reserved already
  }
  auto* begin = static_cast<char*>(std::malloc(capacity));
  if (begin == nullptr) {
    return;
  }
  Block& b = g_blocks[g_block_count++];
  b = {begin, begin, begin + capacity};
  // malloc aligns to 16 on 64-bit glibc; the bump keeps every request a multiple of it.
  const auto low = reinterpret_cast<std::uintptr_t>(b.begin);
  const auto high = reinterpret_cast<std::uintptr_t>(b.end);
  g_low = low < g_low ? low : g_low;
  g_high = high > g_high ? high : g_high;
  t_block = &b;
  m_active = true;
}

PermanentAllocations::~PermanentAllocations() {
  if (m_active) {
    t_block = nullptr;
  }
}

std::size_t PermanentAllocations::taken() {
  return static_cast<std::size_t>(t_block->next - t_block->begin);
}

bool PermanentAllocations::supported() {
  return true;
}

#else

PermanentAllocations::PermanentAllocations(std::size_t /*capacity*/) {}
PermanentAllocations::~PermanentAllocations() = default;
std::size_t PermanentAllocations::taken() {
  return 0;
}
bool PermanentAllocations::supported() {
  return false;
}

#endif

std::size_t PermanentAllocations::used() const {
  return m_active ? taken() : 0;
}

}  // namespace router::util

#if defined(ROUTER_PERMANENT_REPLACES_NEW)

// Never inlined: in a unity build a caller in this translation unit would otherwise see the
// free() below applied to memory from `new`, and GCC warns (-Wmismatched-new-delete).
[[gnu::noinline]] void* operator new(std::size_t n) {
  using namespace router::util;
  if (Block* b = t_block) {
    const std::size_t rounded = (n + k_align - 1) & ~(k_align - 1);
    if (rounded != 0 && static_cast<std::size_t>(b->end - b->next) >= rounded) {
      void* p = b->next;
      b->next += rounded;
      return p;
    }
  }
  return from_malloc(n);
}

[[gnu::noinline]] void operator delete(void* p) noexcept {
  if (!router::util::is_permanent(p)) {
    std::free(p);
  }
}

[[gnu::noinline]] void operator delete(void* p, std::size_t /*size*/) noexcept {
  if (!router::util::is_permanent(p)) {
    std::free(p);
  }
}

#endif
