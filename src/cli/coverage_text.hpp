#pragma once
// How coverage gaps read: the text of `router coverage`, its JSON document, and the
// one-line gaps that `validate --coverage` turns into warnings.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/coverage.hpp"
#include "engine/coverage.hpp"

namespace router::cli {

// "sat 09:00–13:00", "fri 22:00–sat 06:00": a gap of the regular week.
std::string weekly_text(const core::WeeklyGap& gap);
// "2026-12-24 thu 13:00–17:30": a dated gap in `zone`'s local time.
std::string dated_text(const core::Gap& gap, const util::Zone* zone);
// "nobody on shift", "everyone on shift is on leave: ann until 2026-12-10 09:00",
// "rule web sends leads to sales while it is closed" (`rule` only for closed).
std::string reason_text(core::GapReason reason, const std::vector<core::Leave>& leaves,
                        const util::Zone* zone, const std::string& rule, const std::string& pool);

// One gap of a pool or of one of its rules, as validate --coverage reports it.
struct GapLine {
  std::string rule;  // empty: the pool's own gap
  std::string text;  // "every week sat 09:00–13:00: nobody on shift"
};

// Every gap of the pool (weekly ones, those at the same hours on consecutive days in one
// line, then the dated ones), then its rules'.
std::vector<GapLine> gap_lines(const core::PoolCoverage& pool);

// The whole text report: per pool a week grid, a legend and the gaps.
std::string coverage_text(const engine::CoverageResult& result);
// The JSON document of `coverage --format json`.
nlohmann::ordered_json coverage_json(const engine::CoverageResult& result, int weeks);

}  // namespace router::cli
