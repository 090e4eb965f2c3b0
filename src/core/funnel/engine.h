#pragma once
// Running a funnel (DESIGN §4) over a Model at an as-of time. README.md states the semantics
// in full; in short, for the events of one user in stored order (by time; equal times keep the
// EventStore's stable order, and "after" means later in that order), ignoring events past as-of:
//
//   ordered    an attempt starts at each step-1 event s1 (time t1) inside the entry range; step
//              k+1 is the earliest event matching it after the step-k event with time <= t1 + W.
//   strict     as ordered, but step k+1 must be the very next event (of any name).
//   unordered  an attempt is anchored at each event matching any step, at time t inside the
//              entry range; its level is the number of distinct steps with a matching event
//              whose time lies in [t, t + W] (an event matching two steps counts for both).
//   exclusions (ordered, strict) an attempt that reached step j is void when an exclusion event
//              lies strictly between (in stored order) its step-i and step-j events.
//   level      the maximum over the user's non-void attempts (0: none); step k counts the users
//              whose level >= k. The counted attempt is the earliest-starting one reaching the
//              level: it gives the times between steps, the time to convert and, for a
//              property breakdown, the step-1 event (unordered: the anchor event).
//
// Per user, the events of the steps' and exclusions' names only, each name's as one range of
// the event index's postings (the index keeps each name's per-user starts: event_index.h), then
// every attempt through forward-only cursors (one per step and exclusion; the greedy matches of
// successive attempts never move backwards), so the work is O(relevant events × steps) with no
// allocation per attempt or per user; users without a step-1 event (unordered: any step's)
// cost a bit of a mask read 64 users at a time, and so do users at level 1 without a step-2
// event (no breakdown). README.md, "Engine", says how.

#include "core/dataset/bitmap.h"
#include "core/funnel/definition.h"
#include "core/lang/error.h"
#include "core/model/model.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace segx {

struct FunnelContext {
    const Model& model;
    int64_t as_of_us = 0; // events after as-of do not exist for the funnel
    // Turns the funnel's audience filter (Funnel::audience, not null) into the users it keeps,
    // appending errors with paths below `path` ("audience"). False on errors. Supplied by the
    // caller (run.cpp uses the audience engine), so this folder needs none of it.
    std::function<bool(const nlohmann::json& filter, const std::string& path, Bitmap* users,
                       std::vector<DefinitionError>& errors)>
        audience;
    // Read the steps' times from the copies the event index keeps beside the postings
    // (user_starts.h PostingTimes) when it has them; false: from EventStore::time only (the
    // tests compare the two).
    bool posting_times = true;
};

// The distribution of one duration over users, in seconds. Percentiles are nearest-rank: over
// the n values sorted ascending, p% is the value of rank ceil(p·n/100) (1-based), so every
// figure is one user's actual value; the median is p50. All empty when users == 0.
struct DurationStats {
    uint64_t users = 0;
    std::optional<double> median, mean, p25, p75, p90;
};

// [from, to) in µs; the last bucket is [from, to] with to = W.
struct HistogramBucket {
    int64_t from_us = 0, to_us = 0;
    uint64_t users = 0;
};

struct FunnelStepResult {
    uint64_t users = 0;       // users whose level >= this step
    double conversion = 0;    // users / step-1 users (0 when no one entered)
    double from_previous = 0; // users / previous step's users (step 1: 1, or 0 when none)
    uint64_t drop_off = 0;    // previous step's users - users (step 1: 0)
    DurationStats from_prev;  // counted attempts: this step's time - the previous step's
};

struct BreakdownRow {
    enum class Kind : uint8_t { Value, Other, NotSet };
    Kind kind = Kind::Value;
    std::string value;           // Value rows: the value as text (Column::format)
    std::vector<uint64_t> users; // per step, users whose level >= step
};

struct FunnelResult {
    std::vector<DefinitionError> errors;
    std::vector<uint8_t> levels; // per user index: 0 .. steps
    uint64_t population = 0;     // users considered (the audience filter's, or all)
    std::vector<FunnelStepResult> steps;
    DurationStats time_to_convert; // last step's time - step 1's, users reaching the last step
    std::vector<HistogramBucket> histogram;
    // With a breakdown: top values by step-1 users (ties by value text), then "other" when
    // values were left out, then "not set" when some entered users have none. Rows add up to
    // `steps[k].users` exactly for every k.
    std::vector<BreakdownRow> breakdown;

    bool ok() const { return errors.empty(); }
};

// Everything of the answer. Errors (unknown events, properties or attributes, filters that do
// not fit their column, the audience filter's) are reported with their JSON paths, all at once.
FunnelResult run_funnel_engine(const Funnel& funnel, const FunnelContext& ctx);

// Just the per-user levels (for the audience `funnel` rule: reached k is level >= k, dropped
// after k is level == k). Same errors.
struct FunnelLevels {
    std::vector<DefinitionError> errors;
    std::vector<uint8_t> levels;

    bool ok() const { return errors.empty(); }
};
FunnelLevels funnel_levels(const Funnel& funnel, const FunnelContext& ctx);

// Nearest-rank percentile (see DurationStats) of ascending `sorted`, p in 1..100; µs.
int64_t nearest_rank(const std::vector<int64_t>& sorted, int p);
// The histogram edges for a window of W µs: a fixed ladder (0, 10 s, 30 s, 1 min, 2 min, 5 min,
// 10 min, 30 min, 1 h, 2 h, 6 h, 12 h, 1 d, 2 d, 3 d, 7 d, 14 d, 30 d, 60 d, 90 d, 180 d) cut
// below W, then W: bucket i is [edges[i], edges[i+1]), the last one closed.
std::vector<int64_t> histogram_edges(int64_t window_us);

} // namespace segx
