#pragma once
// AudienceCache: the users of each leaf rule (property, behavior, funnel, rfm, lifecycle) kept
// between evaluations, so that editing one rule of an audience re-evaluates that rule only: the
// others' bitsets come back from here and the groups recombine them with whole-word ANDs and ORs.
//
// Key: the rule's canonical JSON (to_json(rule).dump(), hashed for the map and compared in
// full, so a hash collision cannot return another rule's users), plus as-of for every rule but
// property rules (they do not depend on it, so moving as-of keeps them), plus for a funnel rule
// the saved funnel's JSON and that of every saved definition its audience filter reaches
// (FunnelRuleSource::key: editing the funnel drops the rule's users), and for an rfm rule its
// settings' JSON (RfmRuleSource::definition: the saved settings, or the defaults), within one
// model generation (EvalContext::model_generation): a lookup under a new generation drops every
// entry. Groups and audience references are not cached themselves: their leaves are, including
// the leaves of referenced audiences.
//
// Entries are evicted least-recently-used past `max_entries` (a 1M-user bitset is 125 KB).
// Not thread-safe: one cache per evaluating thread.

#include "core/audience/evaluate.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace segx {

// The key a leaf rule (property, behavior, funnel, rfm, lifecycle) is cached under: its
// canonical JSON, behind the as-of time for all but property rules (which do not depend on it),
// and for a funnel or rfm rule followed by `depends`: the funnel's dependency key
// (FunnelRuleSource::key) or the RFM settings' JSON (RfmRuleSource::definition). A lifecycle
// rule depends on nothing else (its period and event are in its JSON).
std::string leaf_cache_key(const Rule& rule, int64_t as_of_us, const std::string& depends = "");

class AudienceCache {
public:
    struct Stats {
        size_t hits = 0, misses = 0, entries = 0;
    };

    explicit AudienceCache(size_t max_entries = 64) : max_entries_(max_entries) {}

    EvalResult evaluate(const Audience& audience, const EvalContext& ctx);

    Stats stats() const;
    void clear(); // entries and counters

    // The users cached for `key` without counting a hit or refreshing the entry (for showing
    // each rule's size beside it); nullptr when absent or of another generation.
    const Bitmap* peek(const std::string& key, uint64_t generation) const;

    // For the evaluator. lookup counts a hit or a miss; its pointer is valid until the next
    // store. store keeps a copy.
    const Bitmap* lookup(const std::string& key, uint64_t generation);
    void store(const std::string& key, const Bitmap& users, uint64_t generation);

private:
    struct Entry {
        Bitmap users;
        uint64_t last_used = 0;
    };
    void switch_generation(uint64_t generation);

    std::unordered_map<std::string, Entry> entries_;
    size_t max_entries_;
    uint64_t tick_ = 0;
    uint64_t generation_ = 0;
    size_t hits_ = 0, misses_ = 0;
};

} // namespace segx
