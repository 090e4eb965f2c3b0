#pragma once
// Running RFM (DESIGN §5) over a Model at an as-of time. README.md states the semantics in full;
// in short, with purchases = the model's purchase_event events at or before as-of:
//
//   customers  users with at least one purchase.
//   R          floor((as_of - last purchase) / 86 400 s): whole days, 0 on the day itself.
//   F          orders: distinct order ids among the purchases, plus one per purchase without one.
//   M          total: the purchases' revenue (NaN revenue adds nothing, refund events are not
//              purchases, so nothing is subtracted; no revenue at all is 0);
//              mean_order: that total / F.
//   scores     1..5 (5 best; R: fewer days is better), or 1..2 for the mean method:
//     quantile    NTILE(5) OVER (ORDER BY key, user_id), key = -R, F or M, user ids as bytes:
//                 n customers sorted, the first n % 5 buckets hold n / 5 + 1, the rest n / 5.
//     thresholds  definition.h RfmThresholds: a value equal to a cut point takes the lower bin.
//     mean        2 when at least as good as the customers' mean (R: days <= mean days), else 1.
//   segment    the one segment covering the customer's (R, F) or (R, F, M) scores.
//
// Cost: one pass over the purchases (the model's per-user aggregates when as-of is at or after
// the last event; else the per-event-name index, else the CSR slices) into compact per-customer
// arrays; per metric, once, each customer's rank in ORDER BY key, user_id (a counting sort for
// R and F, small whole numbers; a stable LSD radix sort for M, of the customers taken in user-id
// text order, so equal keys stay in id order); then every method scores by those ranks (cut
// ranks from NTILE's bucket sizes or from a binary search of the cut points or the mean in the
// sorted values) in one pass that also sums the S³ score cells. With a cache (cache.h) an edit
// redoes only what it changes: a threshold edit is that one pass, a grid edit re-sums segments
// from the S³ cells.

#include "core/lang/error.h"
#include "core/model/model.h"
#include "core/rfm/cache.h"
#include "core/rfm/definition.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace segx {

struct RfmContext {
    const Model& model;
    int64_t as_of_us = 0; // purchases after as-of do not exist for RFM
    // Optional: every user index ordered by id text as bytes (users_by_id_text). The session
    // keeps one per model; without it the customers' ids are sorted on every run.
    const std::vector<uint32_t>* users_by_id = nullptr;
    // Optional: what RFM keeps between runs over this model (cache.h; the session keeps one).
    // `generation` is the model's build: a cache filled for another model or build is emptied.
    RfmCache* cache = nullptr;
    uint64_t generation = 0;
};

// Every user index of the model, ordered by id text compared as bytes ("10" < "9").
std::vector<uint32_t> users_by_id_text(const Model& model);

constexpr uint8_t kNoRfmSegment = 255;

// Per user index (model.users.size() entries). Users who are not customers have days -1,
// orders 0, revenue and monetary 0, scores 0 and segment kNoRfmSegment.
struct RfmScores {
    std::vector<DefinitionError> errors;
    std::vector<int32_t> days;    // R: whole days since the last purchase
    std::vector<uint32_t> orders; // F
    std::vector<double> revenue;  // total purchase revenue (whatever `monetary` says)
    std::vector<double> monetary; // M as `monetary` says
    std::vector<uint8_t> r, f, m; // scores 1..max score
    std::vector<uint8_t> segment; // index into Rfm::segments
    uint64_t customers = 0;
    // The customers' means of R (days), F and M (null with no customers): the mean method's
    // references, shown beside its scores.
    std::optional<double> mean_days, mean_orders, mean_monetary;

    bool ok() const { return errors.empty(); }
};

// The scores alone (for the audience `rfm` rule: segment names or score ranges). Errors: the
// settings' own (definition.h checks), with their paths.
RfmScores rfm_scores(const Rfm& rfm, const RfmContext& ctx);

// One (R, F) cell of the heat map.
struct RfmCell {
    int r = 1, f = 1;
    uint64_t customers = 0;
    double revenue = 0;           // total purchase revenue of its customers
    std::optional<double> mean_m; // mean M of its customers (null when empty)
};

struct RfmSegmentResult {
    uint64_t customers = 0;
    double share = 0;                             // customers / all customers (0 when none)
    double revenue = 0;                           // total purchase revenue of its customers
    double revenue_share = 0;                     // revenue / all customers' revenue (0 when that is 0)
    std::optional<double> mean_r, mean_f, mean_m; // means of days, orders and M (null when empty)
};

// A histogram bin [from, to); a null end is open (-inf / +inf).
struct RfmBin {
    std::optional<double> from, to;
    uint64_t customers = 0;
};

// What one score stands for: its customers and the range of the metric among them.
struct RfmScoreSpan {
    int score = 1;
    uint64_t customers = 0;
    std::optional<double> min, max; // null when no customer has the score
};

struct RfmResult {
    std::vector<DefinitionError> errors;
    RfmScores scores;
    uint64_t customers = 0;
    double revenue = 0;                     // all customers' purchase revenue
    std::vector<RfmCell> cells;             // S × S, by r then f ascending
    std::vector<RfmSegmentResult> segments; // as Rfm::segments
    std::vector<RfmBin> r_histogram, f_histogram, m_histogram;
    std::vector<RfmScoreSpan> r_spans, f_spans, m_spans; // per score 1..S

    bool ok() const { return errors.empty(); }
};

// The tables and the per-user scores.
RfmResult run_rfm_engine(const Rfm& rfm, const RfmContext& ctx);
// The tables alone, as run_rfm_engine gives them; `scores` holds only the errors, the customer
// count and the means (no per-user vectors). What segx.run answers from.
RfmResult rfm_tables(const Rfm& rfm, const RfmContext& ctx);

// The fixed histogram edges (README.md). R (days): 0, 7, 14, 30, 60, 90, 180, 365, 730, then
// open. F (orders): 1, 2, 3, 4, 5, 6, 10, 20, then open. M: an open bin below 0, then the 1-2-5
// ladder 0, 1, 2, 5, 10, ..., 1e9, then open; M's leading and trailing empty bins are left out.
const std::vector<double>& rfm_days_edges();
const std::vector<double>& rfm_orders_edges();
const std::vector<double>& rfm_monetary_edges();

} // namespace segx
