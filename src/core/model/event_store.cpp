#include "core/model/event_store.h"

#include "core/model/column_builder.h"
#include "core/model/column_merge.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

namespace segx {

size_t EventStore::memory_bytes() const {
    size_t total = offsets.capacity() * sizeof(uint64_t) + time.capacity() * sizeof(int64_t) +
                   event.memory_bytes() + values.memory_bytes();
    for (const Column& c : properties) total += c.memory_bytes();
    return total;
}

namespace {

// values[begin + k] = old values[begin + perm[k]] for k < perm.size().
template <typename T>
void permute(std::vector<T>& values, size_t begin, const std::vector<uint32_t>& perm,
             std::vector<T>& scratch) {
    scratch.resize(perm.size());
    for (size_t k = 0; k < perm.size(); k++) scratch[k] = values[begin + perm[k]];
    std::copy(scratch.begin(), scratch.end(), values.begin() + long(begin));
}

// The same for narrow values, at their stored width.
template <typename V>
void permute(NarrowVector<V>& narrow, size_t begin, const std::vector<uint32_t>& perm,
             std::vector<V>& scratch) {
    scratch.resize(perm.size());
    narrow.visit_mut([&](auto* values) {
        for (size_t k = 0; k < perm.size(); k++) scratch[k] = values[begin + perm[k]];
        for (size_t k = 0; k < perm.size(); k++)
            values[begin + k] = std::remove_pointer_t<decltype(values)>(scratch[k]);
    });
}

struct PermuteScratch {
    std::vector<int64_t> i64;
    std::vector<double> f64;
    std::vector<uint32_t> u32;
    std::vector<uint8_t> bits;
};

void permute_column(Column& c, size_t begin, const std::vector<uint32_t>& perm, PermuteScratch& s) {
    if (!c.ints.empty()) permute(c.ints, begin, perm, s.i64);
    if (!c.doubles.empty()) permute(c.doubles, begin, perm, s.f64);
    if (!c.codes.empty()) permute(c.codes, begin, perm, s.u32);
    s.bits.resize(perm.size());
    for (size_t k = 0; k < perm.size(); k++) s.bits[k] = c.valid.get(begin + perm[k]);
    for (size_t k = 0; k < perm.size(); k++) c.valid.set(begin + k, s.bits[k] != 0);
}

// The revenue and order of one event that carries either, while the store is built.
struct Carried {
    uint32_t row;
    uint32_t order;
    double revenue;
};
bool row_before(const Carried& a, const Carried& b) { return a.row < b.row; }

// Stable sort by time of every user slice not already in time order; the other columns follow,
// and so do the rows of `carried` (sorted by row, and kept so).
void sort_slices_by_time(EventStore& store, std::vector<Carried>& carried) {
    std::vector<uint32_t> perm, moved_to;
    PermuteScratch s;
    for (size_t u = 0; u < store.user_count(); u++) {
        size_t begin = size_t(store.offsets[u]), end = size_t(store.offsets[u + 1]);
        const int64_t* t = store.time.data();
        if (std::is_sorted(t + begin, t + end)) continue;
        perm.resize(end - begin);
        std::iota(perm.begin(), perm.end(), 0u);
        auto earlier = [t, begin](uint32_t a, uint32_t b) { return t[begin + a] < t[begin + b]; };
        if (perm.size() <= 32) {
            // Most users have few events: insertion sort is stable and, unlike stable_sort,
            // allocates no buffer per user.
            for (size_t k = 1; k < perm.size(); k++) {
                uint32_t x = perm[k];
                size_t j = k;
                for (; j > 0 && earlier(x, perm[j - 1]); j--) perm[j] = perm[j - 1];
                perm[j] = x;
            }
        } else {
            std::stable_sort(perm.begin(), perm.end(), earlier);
        }
        permute(store.time, begin, perm, s.i64);
        permute(store.event, begin, perm, s.u32);
        for (Column& c : store.properties) permute_column(c, begin, perm, s);
        // The slice's carrying rows: old row begin + perm[k] is now begin + k.
        auto lo =
            std::lower_bound(carried.begin(), carried.end(), Carried{uint32_t(begin), 0, 0}, row_before);
        auto hi = std::lower_bound(lo, carried.end(), Carried{uint32_t(end), 0, 0}, row_before);
        if (lo == hi) continue;
        moved_to.resize(perm.size());
        for (size_t k = 0; k < perm.size(); k++) moved_to[perm[k]] = uint32_t(k);
        for (auto it = lo; it != hi; ++it) it->row = uint32_t(begin) + moved_to[it->row - begin];
        std::sort(lo, hi, row_before);
    }
}

} // namespace

namespace {

// One purchase per (user, order id) across sources (DESIGN §2): per such pair, the source that
// owns it (the first, in load order, whose purchase row of the pair carries an amount; else the
// first with a purchase row of the pair), and the store row of its first row, where the
// dropped rows' properties go.
struct PurchaseOwner {
    uint32_t source = UINT32_MAX;
    uint32_t first_row = UINT32_MAX; // store row (before sorting) of the owner's first row
};
using PurchaseOwners = std::unordered_map<uint64_t, PurchaseOwner>;

uint64_t pair_key(uint32_t user, uint32_t order) { return uint64_t(user) << 32 | order; }

PurchaseOwners purchase_owners(const std::vector<const EventSource*>& sources,
                               const std::vector<SourceRemap>& remaps, uint32_t purchase) {
    PurchaseOwners owners;
    if (purchase == UINT32_MAX) return owners;
    for (bool with_amount : {true, false})
        for (size_t s = 0; s < sources.size(); s++) {
            const EventSource& src = *sources[s];
            for (size_t i = 0; i < src.size(); i++) {
                const uint32_t order = src.values.order(i);
                if (order == EventSource::kNoOrder || remaps[s].event[src.event[i]] != purchase) continue;
                if (with_amount && std::isnan(src.values.revenue(i))) continue;
                PurchaseOwner& o = owners[pair_key(remaps[s].user[src.user[i]], remaps[s].order[order])];
                if (o.source == UINT32_MAX) o.source = uint32_t(s);
            }
        }
    return owners;
}

} // namespace

EventStore build_event_store(const std::vector<const EventSource*>& sources,
                             const std::vector<SourceRemap>& remaps, size_t user_count,
                             uint32_t purchase_event) {
    if (remaps.size() != sources.size())
        throw std::invalid_argument("build_event_store: " + std::to_string(remaps.size()) + " remaps for " +
                                    std::to_string(sources.size()) + " sources");

    // Which rows stay: all but the purchases of a (user, order id) that another source owns.
    PurchaseOwners owners = purchase_owners(sources, remaps, purchase_event);
    std::vector<std::vector<uint8_t>> dropped(sources.size()); // empty: the source keeps every row
    EventStore store;
    store.merged_purchases.assign(sources.size(), 0);
    uint64_t total = 0;
    for (size_t s = 0; s < sources.size(); s++) {
        const EventSource& src = *sources[s];
        total += src.size();
        if (owners.empty()) continue;
        for (size_t i = 0; i < src.size(); i++) {
            const uint32_t order = src.values.order(i);
            if (order == EventSource::kNoOrder || remaps[s].event[src.event[i]] != purchase_event) continue;
            auto it = owners.find(pair_key(remaps[s].user[src.user[i]], remaps[s].order[order]));
            if (it->second.source == uint32_t(s)) continue;
            if (dropped[s].empty()) dropped[s].assign(src.size(), 0);
            dropped[s][i] = 1;
            store.merged_purchases[s]++;
            total--;
        }
    }
    if (total > UINT32_MAX)
        throw std::length_error("event store: " + std::to_string(total) + " events, more than 4294967295");
    const size_t n = size_t(total);
    const auto kept = [&](size_t s, size_t i) { return dropped[s].empty() || !dropped[s][i]; };

    // Count per user, then prefix sums: offsets[u] is where user u's events start.
    store.offsets.assign(user_count + 1, 0);
    for (size_t s = 0; s < sources.size(); s++) {
        const std::vector<uint32_t>& to_user = remaps[s].user;
        const std::vector<uint32_t>& user = sources[s]->user;
        for (size_t i = 0; i < user.size(); i++)
            if (kept(s, i)) store.offsets[to_user[user[i]] + 1]++;
    }
    for (size_t u = 0; u < user_count; u++) store.offsets[u + 1] += store.offsets[u];

    // Properties: planned by name over all sources first, so every type is final before rows
    // arrive; every row starts null.
    std::vector<NamedColumns> named;
    for (const EventSource* s : sources) named.push_back(NamedColumns{s->spec.name, &s->properties});
    ColumnPlan plan = plan_columns(named);
    store.properties = std::move(plan.columns);
    for (Column& c : store.properties) append_nulls(c, n);

    // An order's revenue comes from one source: the first that gives it an amount. Line items
    // of one file share an order id and all count; the same order exported twice (a shop's
    // orders file and an analytics purchase event carrying the value) counts once.
    size_t order_count = 0;
    for (const SourceRemap& r : remaps)
        for (uint32_t code : r.order) order_count = std::max(order_count, size_t(code) + 1);
    constexpr uint32_t kNoOwner = UINT32_MAX;
    std::vector<uint32_t> revenue_owner(order_count, kNoOwner);
    for (size_t s = 0; s < sources.size(); s++) {
        const EventSource& src = *sources[s];
        for (size_t i = 0; i < src.size(); i++) {
            const uint32_t order = src.values.order(i);
            if (order == EventSource::kNoOrder || std::isnan(src.values.revenue(i))) continue;
            uint32_t& owner = revenue_owner[remaps[s].order[order]];
            if (owner == kNoOwner) owner = uint32_t(s);
        }
    }

    // Scatter each source's kept rows in row order: `dest` is each kept row's slot, so equal
    // times stay in source order, then row order. `rows` lists the kept rows.
    store.time.resize(n);
    // Event codes at the width of the largest (a few dozen names: 1 byte per event).
    uint32_t top_event = 0;
    for (const SourceRemap& r : remaps)
        for (uint32_t code : r.event) top_event = std::max(top_event, code);
    store.event.widen_to(CodeVector::width_for(top_event));
    store.event.resize(n);
    // The events that carry a revenue or an order, with their rows (a few percent of events):
    // the store keeps their values only (EventValues).
    size_t carrying = 0;
    for (size_t s = 0; s < sources.size(); s++) {
        const EventSource& src = *sources[s];
        for (size_t i = 0; i < src.size(); i++)
            carrying += kept(s, i) && src.values.carries(i); // a revenue or an order
    }
    std::vector<Carried> carried;
    carried.reserve(carrying);
    std::vector<uint64_t> cursor(store.offsets.begin(), store.offsets.end() - 1);
    std::vector<uint32_t> dest, rows, remap_scratch;
    for (size_t s = 0; s < sources.size(); s++) {
        const EventSource& src = *sources[s];
        const SourceRemap& remap = remaps[s];
        rows.clear();
        for (size_t i = 0; i < src.size(); i++)
            if (kept(s, i)) rows.push_back(uint32_t(i));
        const size_t k = rows.size();
        dest.resize(k);
        for (size_t j = 0; j < k; j++) dest[j] = uint32_t(cursor[remap.user[src.user[rows[j]]]]++);
        // One column per loop: one stream of random writes at a time is kinder to the TLB.
        for (size_t j = 0; j < k; j++) store.time[dest[j]] = src.time[rows[j]];
        store.event.visit_mut([&](auto* event) {
            using Code = std::remove_pointer_t<decltype(event)>;
            src.event.visit([&](const auto* from) {
                for (size_t j = 0; j < k; j++) event[dest[j]] = Code(remap.event[from[rows[j]]]);
            });
        });
        for (size_t j = 0; j < k; j++) {
            const size_t i = rows[j];
            double v = src.values.revenue(i);
            const uint32_t source_order = src.values.order(i);
            const uint32_t order =
                source_order == EventSource::kNoOrder ? EventStore::kNoOrder : remap.order[source_order];
            if (order == EventStore::kNoOrder && !(v == v)) continue;
            if (order != EventStore::kNoOrder && revenue_owner[order] != uint32_t(s))
                v = std::numeric_limits<double>::quiet_NaN(); // counted in the order's first source
            carried.push_back(Carried{dest[j], order, v});
            // The owner's first row of a (user, order) pair receives the dropped rows' properties.
            if (!owners.empty() && order != EventStore::kNoOrder && store.event[dest[j]] == purchase_event) {
                PurchaseOwner& o = owners[pair_key(remap.user[src.user[i]], order)];
                if (o.first_row == UINT32_MAX) o.first_row = dest[j];
            }
        }
        for (size_t p = 0; p < src.properties.size(); p++)
            scatter_column(src.properties[p], store.properties[plan.target[s][p]], rows.data(), dest.data(),
                           k, remap_scratch);
    }

    // The merged purchases' properties fill what their kept row lacks (the richest row: an
    // analytics event's device and session beside a shop export's amount), earlier sources first.
    std::vector<uint32_t> from, to;
    std::unordered_set<uint32_t> claimed;
    for (size_t s = 0; s < sources.size(); s++) {
        if (dropped[s].empty()) continue;
        const EventSource& src = *sources[s];
        for (size_t p = 0; p < src.properties.size(); p++) {
            const Column& column = src.properties[p];
            Column& target = store.properties[plan.target[s][p]];
            from.clear();
            to.clear();
            claimed.clear();
            for (size_t i = 0; i < src.size(); i++) {
                if (!dropped[s][i] || !column.valid.get(i)) continue;
                const uint32_t t =
                    owners[pair_key(remaps[s].user[src.user[i]], remaps[s].order[src.values.order(i)])]
                        .first_row;
                // The first value wins: the row already has one, or an earlier dropped row gives it.
                if (target.valid.get(t) || !claimed.insert(t).second) continue;
                from.push_back(uint32_t(i));
                to.push_back(t);
            }
            scatter_column(column, target, from.data(), to.data(), from.size(), remap_scratch);
        }
    }
    std::sort(carried.begin(), carried.end(), row_before);
    sort_slices_by_time(store, carried);
    store.values.reserve(n, carried.size());
    size_t next = 0;
    for (size_t r = 0; r < n; r++) {
        if (next < carried.size() && carried[next].row == r) {
            store.values.push_back(carried[next].revenue, carried[next].order);
            next++;
        } else {
            store.values.push_back(std::numeric_limits<double>::quiet_NaN(), EventStore::kNoOrder);
        }
    }
    return store;
}

} // namespace segx
