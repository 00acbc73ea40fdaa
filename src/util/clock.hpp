#pragma once
// The one clock. `--now` fixes it; otherwise it is the system clock. Nothing else reads time.

#include <chrono>

namespace router::util {

// A point in time, whole seconds, UTC.
using Time = std::chrono::sys_seconds;

// Source of the current time, passed down explicitly.
class Clock {
public:
  virtual ~Clock() = default;
  // The current time.
  virtual Time now() const = 0;
};

// A clock stopped at one instant (from --now / $ROUTER_NOW, and in tests).
class FixedClock final : public Clock {
public:
  explicit FixedClock(Time t) : m_time(t) {}
  Time now() const override { return m_time; }

private:
  Time m_time;
};

// The system's wall clock.
class SystemClock final : public Clock {
public:
  Time now() const override;
};

// Measures elapsed wall time for metrics (monotonic; never used for decisions).
class Stopwatch {
public:
  Stopwatch();
  // Seconds since construction.
  double seconds() const;

private:
  std::chrono::steady_clock::time_point m_start;
};

}  // namespace router::util
