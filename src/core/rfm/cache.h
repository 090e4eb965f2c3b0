#pragma once
// What RFM keeps between runs over one model (engine.h RfmContext::cache), so that an edit of
// the settings does only the work the edit needs (README.md "Engine"):
//
//   customers   per as-of: the customers (user indices ascending) with their days, orders and
//               total revenue, their order by id text (NTILE's tie order), each customer's rank
//               in R's and F's sort (ORDER BY key, id) with the values in that order, the sums
//               and the R and F histograms. The only level that reads events or aggregates.
//   monetary    per customers and `monetary`: M per customer, its rank in M's sort and the
//               values in that order, its sum and M's histogram.
//   scored      per monetary and (method, thresholds when the method uses them): each
//               customer's (R, F, M) score cell and the sums per (R, F, M) cell, and the score
//               spans. Every method scores by rank: a metric's score is 1 + the number of its
//               four cut ranks at or below the customer's rank (NTILE's bucket starts, or the
//               count of values on the low side of each cut point or of the mean, found by
//               binary search in the sorted values), so a scoring is one pass over the
//               customers' ranks. Segment tables are summed from the S³ cells alone: a grid edit
//               reads no customer.
//
// Every level is built from the one above by the engine (engine.cpp) and never changed after;
// the cache holds the latest customers, both monetary settings and the last few scorings.
// The cache belongs to one model: its identity and generation are part of the key (a new
// model or a rebuild empties it). Not thread-safe (one session, one thread).

#include "core/rfm/definition.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace segx {

struct Model;

struct RfmCustomers {
    int64_t as_of_us = 0;
    std::vector<uint32_t> user;   // user indices, ascending: positions follow user-index order
    std::vector<int32_t> days;    // R: whole days since the last purchase
    std::vector<uint32_t> orders; // F
    std::vector<double> revenue;  // total purchase revenue
    std::vector<uint32_t> by_id;  // positions ordered by user id as text (bytes)
    // Per position: the rank (0-based) in ORDER BY -days, user_id and in ORDER BY orders,
    // user_id; and the values in rank order (days descending, orders ascending).
    std::vector<uint32_t> r_rank, f_rank;
    std::vector<int32_t> days_by_rank;
    std::vector<uint32_t> orders_by_rank;
    int64_t days_sum = 0;
    uint64_t orders_sum = 0;
    double revenue_sum = 0;               // in user-index order
    std::vector<uint64_t> r_bins, f_bins; // customers per bin of rfm_days_edges / rfm_orders_edges

    size_t size() const { return user.size(); }
};

struct RfmMonetaryValues {
    RfmMonetary monetary = RfmMonetary::Total;
    std::vector<double> m;         // per position
    std::vector<uint32_t> m_rank;  // per position: the rank in ORDER BY m, user_id (0-based)
    std::vector<double> m_by_rank; // M in rank order (ascending)
    double m_sum = 0;              // in user-index order
    std::vector<uint64_t> m_bins;  // per bin of rfm_monetary_edges with the open bin below first
};

// One customer's place among the scores: ((r - 1) * S + (f - 1)) * S + (m - 1), S = max score.
struct RfmScored {
    RfmMethod method = RfmMethod::Quantile;
    RfmThresholds thresholds; // used by the thresholds method only (else the default)
    int S = 5;
    std::vector<uint8_t> cell; // per position
    // Per (R, F, M) cell (S³): customers, the sums of days and orders, and the sums of revenue
    // and M in user-index order. (R, F) cells and segments add these cells in index order.
    struct Cell {
        uint64_t customers = 0;
        int64_t days = 0;
        uint64_t orders = 0;
        double revenue = 0, m = 0;
    };
    std::vector<Cell> cells;
    // Per score 1..S: customers and the metric's min and max among them (days, orders, M).
    struct Span {
        uint64_t customers = 0;
        double min = 0, max = 0;
    };
    std::vector<Span> r_spans, f_spans, m_spans;
};

struct RfmCache {
    // The model the entries belong to.
    const Model* model = nullptr;
    uint64_t generation = 0;
    size_t users = 0;

    std::shared_ptr<const RfmCustomers> customers;
    std::shared_ptr<const RfmMonetaryValues> monetary[2]; // per RfmMonetary, of `customers`
    struct ScoredEntry {
        RfmMonetary monetary = RfmMonetary::Total;
        std::shared_ptr<const RfmScored> scored;
    };
    std::vector<ScoredEntry> scored; // of `customers`, most recent first, at most kScoredKept
    static constexpr size_t kScoredKept = 4;

    // Levels built since the cache was made (for the benchmarks and tests).
    uint64_t customers_built = 0, monetary_built = 0, scored_built = 0;

    void clear() {
        customers.reset();
        monetary[0].reset();
        monetary[1].reset();
        scored.clear();
    }
};

} // namespace segx
