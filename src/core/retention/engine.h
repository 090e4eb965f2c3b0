#pragma once
// Running a retention definition (DESIGN §6) over a Model at an as-of time. README.md states the
// semantics in full; in short, with P the period holding as-of and events after as-of ignored:
//
//   cohort     a user's cohort is the period of their first start event at or before as-of, or
//              of their start attribute's date (null or after as-of: no cohort). The rows are
//              the `cohort_rows()` periods ending with P, oldest first; users of older cohorts
//              count nowhere.
//   cells      cohort c, k = 0 .. min(periods, P - c): k = 0 is the cohort's size; k >= 1
//              counts the cohort's users with a return event in period c + k (exact), or in
//              period c + k or any later one up to as-of (on_or_after; even past c + periods).
//   complete   cell k is complete when period c + k ends at or before as-of.
//   mean       per k, Σ counts / Σ sizes over the rows whose cell k is complete (null if none
//              or if those cohorts are empty): the curve weighted by cohort size.
//
// Per user, a binary search for the first event after the cohort period, then a walk over the
// following periods with a cursor over precomputed period starts that jumps (binary search) to
// the next period at each hit; on_or_after reads backwards from as-of to the last return event.
// First start events come from the start event's postings (core/model/user_events.h), walked
// with the users: a posting's day (EventIndex::day) tells a start before the oldest cohort
// without reading its time.

#include "core/dataset/bitmap.h"
#include "core/lang/error.h"
#include "core/model/model.h"
#include "core/retention/definition.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace segx {

struct RetentionContext {
    const Model& model;
    int64_t as_of_us = 0; // events after as-of do not exist for retention
    // Turns the audience filter (Retention::audience, not null) into the users it keeps,
    // appending errors with paths below `path` ("audience"). False on errors. Supplied by the
    // caller (run.cpp uses the audience engine), so this folder needs none of it.
    std::function<bool(const nlohmann::json& filter, const std::string& path, Bitmap* users,
                       std::vector<DefinitionError>& errors)>
        audience;
};

struct RetentionCohort {
    int64_t period = 0;   // period index (period.h)
    int64_t start_us = 0; // its first microsecond
    uint64_t size = 0;
    std::vector<uint64_t> counts;  // k = 0 .. min(periods, P - period); counts[0] == size
    std::vector<uint8_t> complete; // per cell: 1 when period + k ends at or before as-of
};

struct RetentionResult {
    std::vector<DefinitionError> errors;
    uint64_t population = 0;                 // users considered (the audience filter's, or all)
    std::vector<RetentionCohort> cohorts;    // oldest first, the last holding as-of
    std::vector<std::optional<double>> mean; // k = 0 .. periods

    bool ok() const { return errors.empty(); }
};

// Everything of the answer. Errors (unknown events or attributes, an attribute that is not a
// date, the audience filter's) are reported with their JSON paths, all at once.
RetentionResult run_retention_engine(const Retention& retention, const RetentionContext& ctx);

// The users of one cell (cohort row `row` of run_retention_engine's answer, cell k), for "a click
// on a cell opens its users as an audience". Out-of-range cells are empty. Same errors.
struct RetentionCellUsers {
    std::vector<DefinitionError> errors;
    Bitmap users; // one bit per model user

    bool ok() const { return errors.empty(); }
};
RetentionCellUsers retention_cell_users(const Retention& retention, const RetentionContext& ctx, size_t row,
                                        size_t k);
// The users of every row's cell 0 at once: the users the triangle counts (breakdown.h).
RetentionCellUsers retention_cohort_users(const Retention& retention, const RetentionContext& ctx);

} // namespace segx
