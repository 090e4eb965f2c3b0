#pragma once
// EventValues: each event's revenue and order code, held only for the events that carry one
// (purchases and refunds: a few percent of events), so that the other events cost 3 bits.
//
// Rows are the EventStore's. A row carries values when its revenue is a number or it has an
// order; bit r of `bits` says so, `ranks[w]` counts the carrying rows before row 64·w, and
// the carrying rows' values sit in row order in `revenues` / `orders`: the values of row r are
// at rank(r) = ranks[r / 64] + the set bits of its word below r. A read is two loads from the
// small bit and rank arrays, a popcount and a load from the values, which are contiguous for
// the carrying rows of one user (and sequential for a reader walking rows in ascending order).
//
// Cost: 0.1875 B per event (bit 1/8, rank 4/64) + 12 B per carrying event.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace segx {

class EventValues {
public:
    static constexpr uint32_t kNoOrder = UINT32_MAX;

    size_t size() const { return size_; }
    size_t carrying() const { return revenues_.size(); }
    bool carries(size_t row) const { return ((bits_[row >> 6] >> (row & 63)) & 1) != 0; }
    // Where row's values are (carries(row)); for another row, where the next carrying row's are.
    size_t rank(size_t row) const {
        const uint64_t below = (uint64_t(1) << (row & 63)) - 1;
        return ranks_[row >> 6] + size_t(__builtin_popcountll(bits_[row >> 6] & below));
    }
    // Revenue of `row` (NaN: none) and its order code (kNoOrder: none); row < size().
    double revenue(size_t row) const {
        return carries(row) ? revenues_[rank(row)] : std::numeric_limits<double>::quiet_NaN();
    }
    uint32_t order(size_t row) const { return carries(row) ? orders_[rank(row)] : kNoOrder; }

    // Appends a row (NaN and kNoOrder: a row that carries nothing).
    void push_back(double revenue, uint32_t order);
    // Room for `rows` rows of which `carrying` carry values, so that push_back does not grow.
    void reserve(size_t rows, size_t carrying);
    // From one revenue and one order per row (equal lengths).
    static EventValues from_dense(const std::vector<double>& revenue, const std::vector<uint32_t>& order);
    // Gives back spare capacity past an eighth of each vector's size (push_back grows them by
    // doubling; core/dataset/slack.h).
    void trim_slack();
    size_t memory_bytes() const;

    const std::vector<double>& revenues() const { return revenues_; } // per carrying row, in row order
    const std::vector<uint32_t>& orders() const { return orders_; }

    bool operator==(const EventValues& o) const; // same rows, same values (revenues bit for bit)

private:
    size_t size_ = 0;
    std::vector<uint64_t> bits_;  // one bit per row
    std::vector<uint32_t> ranks_; // per word of bits_: carrying rows before it
    std::vector<double> revenues_;
    std::vector<uint32_t> orders_;
};

} // namespace segx
