#pragma once
// RFM settings (DESIGN §5): plain value types that the UI edits, the JSON carries (json.h) and
// the engine runs (engine.h). They hold exactly what the JSON says (defaults filled in by the
// reader), so that from_json(to_json(x)) == x is exact. README.md documents the format and
// every decision §5 leaves open.

#include "core/lang/error.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

enum class RfmMethod : uint8_t { Quantile, Thresholds, Mean };
const char* rfm_method_name(RfmMethod method); // "quantile", "thresholds", "mean"
std::optional<RfmMethod> rfm_method_from_name(std::string_view name);

enum class RfmMonetary : uint8_t { Total, MeanOrder };
const char* rfm_monetary_name(RfmMonetary monetary); // "total", "mean_order"
std::optional<RfmMonetary> rfm_monetary_from_name(std::string_view name);

// Scores run 1..rfm_max_score(method): 5, or 2 for the mean method.
int rfm_max_score(RfmMethod method);
constexpr size_t kMaxRfmSegments = 125; // one per (R, F, M) cell at most

// Four strictly ascending cut points per metric. A value v falls in bin b = the number of cut
// points strictly below v (0..4): a value equal to a cut point belongs to the lower bin, so the
// bins are (-inf, t1], (t1, t2], (t2, t3], (t3, t4], (t4, inf). F and M score 1 + b; R (days,
// fewer is better) scores 5 - b: with r = [7, 30, 90, 180], a purchase within 7 days scores 5.
struct RfmThresholds {
    std::array<double, 4> r{7, 30, 90, 180};
    std::array<double, 4> f{1, 2, 4, 8};
    std::array<double, 4> m{50, 100, 250, 1000};
};

// An inclusive score range [lo, hi].
struct RfmScoreRange {
    int lo = 1, hi = 5;
    bool contains(int score) const { return lo <= score && score <= hi; }
};

// A named set of score cells: R in r, F in f and, when m is set, M in m (else any M).
struct RfmSegment {
    std::string name;
    RfmScoreRange r, f;
    std::optional<RfmScoreRange> m;
    std::string color; // "#rrggbb", or "" for the UI's palette colour by position
};

// The default segments of a method: the 10-segment R×F grid of §5, or for `mean` the 8-class
// R/F/M template (重要价值客户 ...).
std::vector<RfmSegment> default_rfm_segments(RfmMethod method);

struct Rfm {
    int segx = 1;
    std::string id, name;
    RfmMethod method = RfmMethod::Quantile;
    RfmMonetary monetary = RfmMonetary::Total;
    RfmThresholds thresholds;
    std::vector<RfmSegment> segments = default_rfm_segments(RfmMethod::Quantile);
};

// Whether any segment bounds M: the segments must then cover every (R, F, M) cell, else every
// (R, F) cell.
bool rfm_uses_m(const std::vector<RfmSegment>& segments);

// The segments' problems, with paths ("segments[3].r[1]", "segments"): bounds outside
// 1..max score, empty or duplicate names, a bad colour, more than 125 segments, and every cell
// covered by no segment or by more than one. The reader reports these; the engine checks them
// again for settings built in code, and the grid editor shows them.
std::vector<DefinitionError> check_rfm_segments(const std::vector<RfmSegment>& segments, RfmMethod method);
// The thresholds' problems: each list strictly ascending and finite ("thresholds.r").
std::vector<DefinitionError> check_rfm_thresholds(const RfmThresholds& thresholds);

// The segment of each cell, for valid segments: index (r - 1) * S * S + (f - 1) * S + (m - 1)
// with S = max score; the segment's index in `segments`.
std::vector<uint8_t> rfm_cell_segments(const std::vector<RfmSegment>& segments, RfmMethod method);

bool operator==(const RfmScoreRange& a, const RfmScoreRange& b);
bool operator==(const RfmThresholds& a, const RfmThresholds& b);
bool operator==(const RfmSegment& a, const RfmSegment& b);
bool operator==(const Rfm& a, const Rfm& b);
inline bool operator!=(const Rfm& a, const Rfm& b) { return !(a == b); }

} // namespace segx
