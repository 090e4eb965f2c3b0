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
    // Only sources meet in a pair: with one source of purchases with order ids, each of its
    // rows owns its pair and nothing merges (the page's one-file load skips the map).
    size_t merging = 0;
    for (const SourceRemap& r : remaps)
        merging += !r.order.empty() && std::find(r.event.begin(), r.event.end(), purchase) != r.event.end();
    if (merging < 2) return owners;
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

namespace {

constexpr uint32_t kDropped = kSkipRow; // a row's slot when it is a merged purchase (not kept)

// Frees a container's storage (assigning {} would keep a vector's capacity, a map's buckets).
template <typename V>
void free_storage(V& v) {
    V().swap(v);
}

// The store build over sources that it may take the rows of (`release`): every step below
// reads whole columns, and a released source column goes as soon as no step reads it again.
EventStore build(const std::vector<EventSource*>& sources, const std::vector<SourceRemap>& remaps,
                 size_t user_count, uint32_t purchase_event, bool release) {
    if (remaps.size() != sources.size())
        throw std::invalid_argument("build_event_store: " + std::to_string(remaps.size()) + " remaps for " +
                                    std::to_string(sources.size()) + " sources");
    std::vector<const EventSource*> readers(sources.begin(), sources.end());
    // Properties: planned by name over all sources first, so every type is final before rows
    // arrive.
    std::vector<NamedColumns> named;
    for (const EventSource* s : readers) named.push_back(NamedColumns{s->spec.name, &s->properties});
    ColumnPlan plan = plan_columns(named);

    // Per source row, its slot in the store: kDropped for the purchases of a (user, order id)
    // that another source owns; the others get their slots below.
    PurchaseOwners owners = purchase_owners(readers, remaps, purchase_event);
    EventStore store;
    store.merged_purchases.assign(sources.size(), 0);
    std::vector<std::vector<uint32_t>> slot(sources.size());
    uint64_t total = 0;
    for (size_t s = 0; s < sources.size(); s++) {
        const EventSource& src = *readers[s];
        slot[s].assign(src.size(), 0);
        total += src.size();
        if (owners.empty()) continue;
        for (size_t i = 0; i < src.size(); i++) {
            const uint32_t order = src.values.order(i);
            if (order == EventSource::kNoOrder || remaps[s].event[src.event[i]] != purchase_event) continue;
            auto it = owners.find(pair_key(remaps[s].user[src.user[i]], remaps[s].order[order]));
            if (it->second.source == uint32_t(s)) continue;
            slot[s][i] = kDropped;
            store.merged_purchases[s]++;
            total--;
        }
    }
    if (total > UINT32_MAX)
        throw std::length_error("event store: " + std::to_string(total) + " events, more than 4294967295");
    const size_t n = size_t(total);

    // Count per user, then prefix sums: offsets[u] is where user u's events start.
    store.offsets.assign(user_count + 1, 0);
    for (size_t s = 0; s < sources.size(); s++) {
        const std::vector<uint32_t>& to_user = remaps[s].user;
        const std::vector<uint32_t>& user = readers[s]->user;
        for (size_t i = 0; i < user.size(); i++)
            if (slot[s][i] != kDropped) store.offsets[to_user[user[i]] + 1]++;
    }
    for (size_t u = 0; u < user_count; u++) store.offsets[u + 1] += store.offsets[u];

    // An order's revenue comes from one source: the first that gives it an amount. Line items
    // of one file share an order id and all count; the same order exported twice (a shop's
    // orders file and an analytics purchase event carrying the value) counts once.
    size_t order_count = 0;
    for (const SourceRemap& r : remaps)
        for (uint32_t code : r.order) order_count = std::max(order_count, size_t(code) + 1);
    constexpr uint32_t kNoOwner = UINT32_MAX;
    std::vector<uint32_t> revenue_owner(order_count, kNoOwner);
    size_t carrying = 0; // kept events with a revenue or an order (a few percent)
    for (size_t s = 0; s < sources.size(); s++) {
        const EventSource& src = *readers[s];
        for (size_t i = 0; i < src.size(); i++) {
            if (!src.values.carries(i)) continue;
            carrying += slot[s][i] != kDropped;
            const uint32_t order = src.values.order(i);
            if (order == EventSource::kNoOrder || std::isnan(src.values.revenue(i))) continue;
            uint32_t& owner = revenue_owner[remaps[s].order[order]];
            if (owner == kNoOwner) owner = uint32_t(s);
        }
    }

    // Slots in source order, then row order, so equal times stay in that order. The events that
    // carry values are noted with their slots (the store keeps their values only: EventValues),
    // and so is each (user, order) pair owner's first row, where merged rows' properties go.
    std::vector<Carried> carried;
    carried.reserve(carrying);
    std::vector<uint64_t> cursor(store.offsets.begin(), store.offsets.end() - 1);
    for (size_t s = 0; s < sources.size(); s++) {
        const EventSource& src = *readers[s];
        const SourceRemap& remap = remaps[s];
        std::vector<uint32_t>& to = slot[s];
        for (size_t i = 0; i < src.size(); i++)
            if (to[i] != kDropped) to[i] = uint32_t(cursor[remap.user[src.user[i]]]++);
        for (size_t i = 0; i < src.size(); i++) {
            if (to[i] == kDropped || !src.values.carries(i)) continue;
            double v = src.values.revenue(i);
            const uint32_t source_order = src.values.order(i);
            const uint32_t order =
                source_order == EventSource::kNoOrder ? EventStore::kNoOrder : remap.order[source_order];
            if (order != EventStore::kNoOrder && revenue_owner[order] != uint32_t(s))
                v = std::numeric_limits<double>::quiet_NaN(); // counted in the order's first source
            carried.push_back(Carried{to[i], order, v});
            if (!owners.empty() && order != EventStore::kNoOrder &&
                remap.event[src.event[i]] == purchase_event) {
                PurchaseOwner& o = owners[pair_key(remap.user[src.user[i]], order)];
                if (o.first_row == UINT32_MAX) o.first_row = to[i];
            }
        }
    }
    free_storage(cursor);
    free_storage(revenue_owner);
    // Each merged purchase row's target, the owner's first row: (source row, store row).
    std::vector<std::vector<std::pair<uint32_t, uint32_t>>> merged(sources.size());
    for (size_t s = 0; s < sources.size(); s++) {
        const EventSource& src = *readers[s];
        for (size_t i = 0; store.merged_purchases[s] && i < src.size(); i++)
            if (slot[s][i] == kDropped) {
                const uint32_t order = remaps[s].order[src.values.order(i)];
                merged[s].emplace_back(uint32_t(i),
                                       owners[pair_key(remaps[s].user[src.user[i]], order)].first_row);
            }
        if (!release) continue;
        free_storage(sources[s]->user);
        sources[s]->values = EventValues();
    }
    free_storage(owners);

    // Then one column at a time over every source: a released source column goes once it is
    // scattered, so the store grows as the sources shrink.
    store.time.resize(n);
    for (size_t s = 0; s < sources.size(); s++) {
        const std::vector<uint32_t>& to = slot[s];
        const std::vector<int64_t>& time = readers[s]->time;
        for (size_t i = 0; i < to.size(); i++)
            if (to[i] != kDropped) store.time[to[i]] = time[i];
        if (release) free_storage(sources[s]->time);
    }
    // Event codes at the width of the largest (a few dozen names: 1 byte per event).
    uint32_t top_event = 0;
    for (const SourceRemap& r : remaps)
        for (uint32_t code : r.event) top_event = std::max(top_event, code);
    store.event.widen_to(CodeVector::width_for(top_event));
    store.event.resize(n);
    for (size_t s = 0; s < sources.size(); s++) {
        const std::vector<uint32_t>& to = slot[s];
        const std::vector<uint32_t>& remap = remaps[s].event;
        store.event.visit_mut([&](auto* event) {
            using Code = std::remove_pointer_t<decltype(event)>;
            readers[s]->event.visit([&](const auto* from) {
                for (size_t i = 0; i < to.size(); i++)
                    if (to[i] != kDropped) event[to[i]] = Code(remap[from[i]]);
            });
        });
        if (release) sources[s]->event = CodeVector();
    }

    // Properties, one store column at a time: every row starts null, each source's column
    // fills its rows, then the merged purchases' values fill what their kept row lacks (the
    // richest row: an analytics event's device and session beside a shop export's amount),
    // earlier sources first, the first value of a source winning.
    store.properties = std::move(plan.columns);
    std::vector<uint32_t> remap_scratch, from, to;
    std::unordered_set<uint32_t> claimed;
    for (size_t c = 0; c < store.properties.size(); c++) {
        Column& target = store.properties[c];
        append_nulls(target, n);
        for (size_t s = 0; s < sources.size(); s++)
            for (size_t p = 0; p < readers[s]->properties.size(); p++)
                if (plan.target[s][p] == c)
                    scatter_column(readers[s]->properties[p], target, nullptr, slot[s].data(), slot[s].size(),
                                   remap_scratch);
        for (size_t s = 0; s < sources.size(); s++)
            for (size_t p = 0; p < readers[s]->properties.size(); p++) {
                if (plan.target[s][p] != c) continue;
                const Column& column = readers[s]->properties[p];
                from.clear();
                to.clear();
                claimed.clear();
                for (const auto& [i, t] : merged[s]) {
                    // The first value wins: the row already has one, or an earlier merged row gives it.
                    if (!column.valid.get(i) || target.valid.get(t) || !claimed.insert(t).second) continue;
                    from.push_back(i);
                    to.push_back(t);
                }
                scatter_column(column, target, from.data(), to.data(), from.size(), remap_scratch);
                if (release) sources[s]->properties[p] = Column();
            }
    }
    free_storage(slot);

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

} // namespace

EventStore build_event_store(const std::vector<const EventSource*>& sources,
                             const std::vector<SourceRemap>& remaps, size_t user_count,
                             uint32_t purchase_event) {
    // Nothing is released: the sources are only read.
    std::vector<EventSource*> readable;
    for (const EventSource* s : sources) readable.push_back(const_cast<EventSource*>(s));
    return build(readable, remaps, user_count, purchase_event, false);
}

EventStore build_event_store_releasing(const std::vector<EventSource*>& sources,
                                       const std::vector<SourceRemap>& remaps, size_t user_count,
                                       uint32_t purchase_event) {
    return build(sources, remaps, user_count, purchase_event, true);
}

} // namespace segx
