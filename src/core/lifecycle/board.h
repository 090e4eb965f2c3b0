#pragma once
// Running the 9-metric board (DESIGN §6: 新客 / 老客 / 休眠用户 × 流量 / 转化率 / 客单价) over a
// Model at an as-of time. README.md states the semantics in full; in short, for an analysis
// period (s, e], a dormancy threshold of D days and "active" meaning an activity event (any
// event when none is named), users active at or before e fall into one group:
//
//   new        first active in (s, e];
//   returning  first active at or before s, and active in (s - D, s];
//   dormant    first active at or before s, and not active in (s - D, s].
//
// Per group: pool (its users), active (of them, active in (s, e]), buyers (of them, with a
// purchase in (s, e]), orders (per user, the distinct order ids of those purchases plus one per
// purchase without an order id, summed) and revenue (the purchases' non-NaN revenue). Purchases
// are the model's purchase_event. `previous` is the same for (s - L, s], L = e - s.
//
// With any event as the activity and the model's index, no user is visited one by one: one scan
// of the events in (s - L - D, e] sets span bits per user, the purchases in (s - L, e] are read
// by day, and users are counted in bins of (first activity, span bits) (README.md, "Cost").
// Otherwise, per user, the first activity and the last at or before e, s and s - L
// (activity.h: read backwards from e), then the purchases in (s - L, e] from their postings.

#include "core/lifecycle/definition.h"
#include "core/lifecycle/engine.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace segx {

enum class BoardGroup : uint8_t { None, New, Returning, Dormant };
const char* board_group_name(BoardGroup group); // "none", "new", "returning", "dormant"
std::optional<BoardGroup> board_group_from_name(std::string_view name);

struct BoardGroupStats {
    uint64_t pool = 0, active = 0, buyers = 0, orders = 0;
    double revenue = 0;
};

// The board's three numbers of a group: traffic is `active` (new, returning) or the pool
// (dormant); conversion is buyers / traffic; average order value is revenue / orders. The
// ratios are empty when their denominator is 0.
uint64_t board_traffic(BoardGroup group, const BoardGroupStats& stats);
std::optional<double> board_conversion(BoardGroup group, const BoardGroupStats& stats);
std::optional<double> board_aov(const BoardGroupStats& stats);

struct BoardPeriod {
    int64_t from_us = 0, to_us = 0; // (from, to]
    BoardGroupStats groups[3];      // new, returning, dormant (BoardGroup - 1)

    const BoardGroupStats& group(BoardGroup g) const { return groups[size_t(g) - 1]; }
};

struct BoardResult {
    std::vector<DefinitionError> errors;
    uint64_t population = 0; // users considered (the audience filter's, or all)
    BoardPeriod current, previous;

    bool ok() const { return errors.empty(); }
};

// The analysis period (s, e] at as-of, with the dormancy threshold checked too: false with
// errors at "period", "period.from" or "dormant_days", as the engine reports them.
bool board_span(const Board& board, int64_t as_of_us, std::vector<DefinitionError>& errors, int64_t* s,
                int64_t* e);

// Errors: a malformed period, a period starting at or after as-of, an unknown activity event,
// the audience filter's; all with their JSON paths.
BoardResult run_board_engine(const Board& board, const LifecycleContext& ctx);

// Each user's group in the current period (for "a click on a group opens its users" and the
// audience `lifecycle` rule). Same errors.
struct BoardGroups {
    std::vector<DefinitionError> errors;
    std::vector<BoardGroup> groups; // per user index
    int64_t from_us = 0, to_us = 0;

    bool ok() const { return errors.empty(); }
};
BoardGroups board_groups(const Board& board, const LifecycleContext& ctx);

} // namespace segx
