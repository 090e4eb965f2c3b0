// The rule-tree walk: groups combine their children's bitsets word by word; leaves go to
// rule_eval.h (through the cache when there is one); audience references evaluate the saved
// definition recursively with the chain of audiences being evaluated on a stack, so a cycle
// is seen the moment an id comes round again.

#include "core/audience/evaluate.h"

#include "core/audience/audience_cache.h"
#include "core/audience/json.h"
#include "core/audience/rule_eval.h"
#include "core/audience/user_set.h"
#include "core/lang/json_text.h"
#include "core/lang/text.h"

#include <algorithm>
#include <map>
#include <set>

namespace segx {

namespace {

// `path` followed by the dotted relative path `rel` ("window.from"), one key at a time.
std::string below(std::string path, const std::string& rel) {
    for (size_t i = 0; i < rel.size();) {
        size_t j = rel.find('.', i);
        if (j == std::string::npos) j = rel.size();
        path = child_path(path, rel.substr(i, j - i).c_str());
        i = j + 1;
    }
    return path;
}

// Audience references nested deeper than this are refused (each level recurses).
constexpr size_t kMaxRefDepth = 64;

// An error, and whether it is a cycle: those keep their message as they travel out through
// the references ("audience cycle: a → b → a"), while other errors inside a referenced
// audience get its name prefixed.
// A `repeat` marks a rule leading into an audience already found broken in this run: it fails
// the rule without repeating the audience's errors (reported once, at the first route to it), so
// a diamond of references costs each audience once, errors included.
struct Issue {
    DefinitionError error;
    bool cycle = false;
    bool repeat = false;
};

class Evaluator {
public:
    Evaluator(const EvalContext& ctx, AudienceCache* cache)
        : ctx_(ctx), cache_(cache), users_(ctx.model.users.size()) {}

    EvalResult run(const Audience& audience) {
        std::vector<Issue> issues;
        stack_.push_back(audience.id);
        Bitmap users = group(audience.root, "root", 1, issues);
        stack_.pop_back();
        EvalResult result;
        for (Issue& i : issues)
            if (!i.repeat && result.errors.size() < kMaxErrors) result.errors.push_back(std::move(i.error));
        if (result.ok()) result.users = std::move(users);
        return result;
    }

private:
    Bitmap group(const Group& g, const std::string& path, int depth, std::vector<Issue>& issues) {
        if (depth > kMaxGroupDepth) {
            issues.push_back(
                {{path, "groups nested deeper than " + std::to_string(kMaxGroupDepth) + " levels"}});
            return Bitmap();
        }
        Bitmap acc = make_user_set(users_, g.match == Match::All);
        for (size_t i = 0; i < g.rules.size(); i++) {
            size_t before = issues.size();
            Bitmap b = rule(g.rules[i], child_path(path, "rules", i), depth, issues);
            if (issues.size() != before) continue; // b is empty, not a user set: keep walking for more errors
            if (g.match == Match::All)
                intersect_with(acc, b);
            else
                unite_with(acc, b);
        }
        if (g.negate) complement(acc);
        return acc;
    }

    Bitmap rule(const Rule& r, const std::string& path, int depth, std::vector<Issue>& issues) {
        const RuleNode& node = r.node;
        if (const auto* g = std::get_if<Group>(&node)) return group(*g, path, depth + 1, issues);
        if (const auto* ref = std::get_if<AudienceRefRule>(&node)) return reference(*ref, path, issues);
        if (std::holds_alternative<PropertyRule>(node) || std::holds_alternative<BehaviorRule>(node))
            return leaf(r, path, issues);
        if (const auto* f = std::get_if<FunnelRule>(&node)) return funnel(r, *f, path, issues);
        if (const auto* t = std::get_if<RetentionRule>(&node)) return retention(r, *t, path, issues);
        if (const auto* m = std::get_if<RfmRule>(&node)) return rfm(r, *m, path, issues);
        return lifecycle(r, std::get<LifecycleRule>(node), path, issues);
    }

    // Segments: the customer's segment is one of the named; ranges: every given score is in
    // its range. Non-customers (score 0) match neither. Cached under the settings' JSON.
    Bitmap rfm(const Rule& r, const RfmRule& rule, const std::string& path, std::vector<Issue>& issues) {
        std::vector<DefinitionError> errors;
        std::optional<RfmRuleSource> source;
        if (!check_rfm_rule(rule, ctx_, path, errors, &source)) {
            for (DefinitionError& e : errors) issues.push_back({std::move(e)});
            return Bitmap();
        }
        std::string key;
        if (cache_ != nullptr) {
            key = leaf_cache_key(r, ctx_.as_of_us, source->definition);
            if (const Bitmap* hit = cache_->lookup(key, ctx_.model_generation)) return *hit;
        }
        RfmRuleScores scores;
        if (!source->scores || !source->scores(&scores, errors)) {
            if (errors.empty()) errors.push_back({"", "its scores are not available here"});
            const std::string where =
                rule.rfm.empty() ? "the default RFM settings" : "RFM settings " + show_id(rule.rfm);
            for (const DefinitionError& e : errors)
                issues.push_back({{path, "in " + where + ": " + e.to_string()}});
            return Bitmap();
        }
        std::vector<uint8_t> wanted(source->segments.size(), 0);
        for (const std::string& name : rule.segments)
            for (size_t i = 0; i < source->segments.size(); i++)
                if (source->segments[i] == name) wanted[i] = 1;
        const auto in = [](const std::optional<ScoreRange>& range, const std::vector<uint8_t>& score,
                           size_t u) {
            return !range || (u < score.size() && score[u] >= range->lo && score[u] <= range->hi);
        };
        Bitmap users = make_user_set(users_, false);
        const size_t n = std::min(scores.r.size(), users_);
        for (size_t u = 0; u < n; u++) {
            if (scores.r[u] == 0) continue; // not a customer
            bool match;
            if (!rule.segments.empty()) {
                const uint8_t s = u < scores.segment.size() ? scores.segment[u] : 255;
                match = s < wanted.size() && wanted[s] != 0;
            } else {
                match = in(rule.r, scores.r, u) && in(rule.f, scores.f, u) && in(rule.m, scores.m, u);
            }
            if (match) users.set(u, true);
        }
        if (cache_ != nullptr) cache_->store(key, users, ctx_.model_generation);
        return users;
    }

    // The users whose stage in the period holding as-of is the rule's. Depends on the model,
    // as-of and the rule only, so cached as a behavior rule is.
    Bitmap lifecycle(const Rule& r, const LifecycleRule& rule, const std::string& path,
                     std::vector<Issue>& issues) {
        std::string key;
        if (cache_ != nullptr) {
            key = leaf_cache_key(r, ctx_.as_of_us);
            if (const Bitmap* hit = cache_->lookup(key, ctx_.model_generation)) return *hit;
        }
        std::vector<DefinitionError> errors;
        LifecycleRuleStages stages;
        if (!ctx_.lifecycle) {
            issues.push_back({{path, "lifecycle stages are not available here"}});
            return Bitmap();
        }
        if (!ctx_.lifecycle(rule, &stages, errors)) {
            if (errors.empty()) errors.push_back({"", "its stages are not available here"});
            for (DefinitionError& e : errors) issues.push_back({{below(path, e.path), e.message}});
            return Bitmap();
        }
        Bitmap users = make_user_set(users_, false);
        const size_t n = std::min(stages.size(), users_);
        const uint8_t want = uint8_t(1 + (rule.group ? int(*rule.group) : int(rule.stage)));
        for (size_t u = 0; u < n; u++)
            if (stages[u] == want) users.set(u, true);
        if (cache_ != nullptr) cache_->store(key, users, ctx_.model_generation);
        return users;
    }

    Bitmap leaf(const Rule& r, const std::string& path, std::vector<Issue>& issues) {
        const auto* behavior = std::get_if<BehaviorRule>(&r.node);
        std::string key;
        if (cache_ != nullptr) {
            key = leaf_cache_key(r, ctx_.as_of_us);
            if (const Bitmap* hit = cache_->lookup(key, ctx_.model_generation)) return *hit;
        }
        std::vector<DefinitionError> errors;
        Bitmap users = behavior
                           ? eval_behavior_rule(ctx_.model, *behavior, ctx_.as_of_us, path, errors)
                           : eval_property_rule(ctx_.model, std::get<PropertyRule>(r.node), path, errors);
        for (DefinitionError& e : errors) issues.push_back({std::move(e)});
        if (cache_ != nullptr && errors.empty()) cache_->store(key, users, ctx_.model_generation);
        return users;
    }

    // Reached k: level >= k; dropped after k: level == k. Cached as a leaf, under the funnel's
    // dependency key (FunnelRuleSource::key) as well as the rule and as-of.
    Bitmap funnel(const Rule& r, const FunnelRule& f, const std::string& path, std::vector<Issue>& issues) {
        std::vector<DefinitionError> errors;
        std::optional<FunnelRuleSource> source;
        if (!check_funnel_rule(f, ctx_, path, errors, &source)) {
            for (DefinitionError& e : errors) issues.push_back({std::move(e)});
            return Bitmap();
        }
        std::string key;
        if (cache_ != nullptr) {
            key = leaf_cache_key(r, ctx_.as_of_us, source->key);
            if (const Bitmap* hit = cache_->lookup(key, ctx_.model_generation)) return *hit;
        }
        std::vector<uint8_t> levels;
        if (!source->levels || !source->levels(&levels, errors)) {
            if (errors.empty()) errors.push_back({"", "its levels are not available here"});
            for (const DefinitionError& e : errors)
                issues.push_back({{path, "in funnel " + show_id(f.funnel) + ": " + e.to_string()}});
            return Bitmap();
        }
        Bitmap users = make_user_set(users_, false);
        const size_t n = std::min(levels.size(), users_);
        const uint8_t k = uint8_t(f.step);
        for (size_t u = 0; u < n; u++)
            if (f.dropped_after ? levels[u] == k : levels[u] >= k) users.set(u, true);
        if (cache_ != nullptr) cache_->store(key, users, ctx_.model_generation);
        return users;
    }

    // The users of one retention cell. Cached as a leaf, under the rule, as-of and the saved
    // audiences its retention's filter reaches (RetentionRuleSource::key).
    Bitmap retention(const Rule& r, const RetentionRule& rule, const std::string& path,
                     std::vector<Issue>& issues) {
        std::vector<DefinitionError> errors;
        RetentionRuleSource source;
        if (!ctx_.retention) {
            issues.push_back({{path, "retention cells are not available here"}});
            return Bitmap();
        }
        if (!ctx_.retention(rule, &source, errors)) {
            if (errors.empty()) errors.push_back({"", "its retention does not run here"});
            for (DefinitionError& e : errors) issues.push_back({{below(path, e.path), e.message}});
            return Bitmap();
        }
        std::string key;
        if (cache_ != nullptr) {
            key = leaf_cache_key(r, ctx_.as_of_us, source.key);
            if (const Bitmap* hit = cache_->lookup(key, ctx_.model_generation)) return *hit;
        }
        Bitmap users;
        if (!source.users || !source.users(&users, errors)) {
            if (errors.empty()) errors.push_back({"", "its users are not available here"});
            for (DefinitionError& e : errors) issues.push_back({{below(path, e.path), e.message}});
            return Bitmap();
        }
        if (cache_ != nullptr) cache_->store(key, users, ctx_.model_generation);
        return users;
    }

    Bitmap reference(const AudienceRefRule& ref, const std::string& path, std::vector<Issue>& issues) {
        for (size_t i = 0; i < stack_.size(); i++) {
            if (stack_[i] != ref.id || ref.id.empty()) continue;
            issues.push_back({{path, cycle_message(stack_, i, ref.id)}, true});
            return Bitmap();
        }
        Bitmap users;
        if (failed_.count(ref.id)) {
            issues.push_back({{path, ""}, false, true});
            return Bitmap();
        }
        auto done = done_.find(ref.id);
        if (done != done_.end()) {
            users = done->second;
        } else {
            const Audience* saved = ref.id.empty() || !ctx_.saved ? nullptr : ctx_.saved(ref.id);
            if (saved == nullptr) {
                issues.push_back({{child_path(path, "id"), "unknown audience " + quote(ref.id)}});
                return Bitmap();
            }
            if (stack_.size() >= kMaxRefDepth) {
                issues.push_back({{path, "audience references nested deeper than " +
                                             std::to_string(kMaxRefDepth) + " levels"}});
                return Bitmap();
            }
            std::vector<Issue> inner;
            stack_.push_back(ref.id);
            users = group(saved->root, "root", 1, inner);
            stack_.pop_back();
            if (!inner.empty()) {
                // Reported here, at the rule that leads into the broken audience, once per run.
                failed_.insert(ref.id);
                bool reported = false;
                for (Issue& e : inner) {
                    if (e.repeat) continue;
                    reported = true;
                    issues.push_back(
                        {{path, e.cycle ? e.error.message
                                        : "in audience " + show_id(ref.id) + ": " + e.error.to_string()},
                         e.cycle});
                }
                if (!reported) issues.push_back({{path, ""}, false, true});
                return Bitmap();
            }
            done_.emplace(ref.id, users);
        }
        if (!ref.in) complement(users);
        return users;
    }

    const EvalContext& ctx_;
    AudienceCache* cache_;
    size_t users_;
    std::vector<std::string> stack_;     // ids of the audiences being evaluated, outermost first
    std::map<std::string, Bitmap> done_; // referenced audiences already evaluated in this run
    std::set<std::string> failed_;       // ... and those found broken (their errors said once)
};

} // namespace

bool check_funnel_rule(const FunnelRule& rule, const EvalContext& ctx, const std::string& path,
                       std::vector<DefinitionError>& errors, std::optional<FunnelRuleSource>* source) {
    source->reset();
    if (!rule.funnel.empty() && ctx.funnel) *source = ctx.funnel(rule.funnel);
    if (!*source) {
        errors.push_back({child_path(path, "funnel"), "unknown funnel " + quote(rule.funnel)});
        return false;
    }
    const size_t steps = (*source)->steps;
    const std::string step_path = child_path(path, rule.dropped_after ? "dropped_after" : "reached");
    if (size_t(rule.step) > steps) {
        errors.push_back({step_path, "funnel " + show_id(rule.funnel) + " has " + std::to_string(steps) +
                                         " steps, not " + std::to_string(rule.step)});
        return false;
    }
    if (rule.dropped_after && size_t(rule.step) == steps) {
        errors.push_back({step_path, "step " + std::to_string(steps) + " is the last of funnel " +
                                         show_id(rule.funnel) +
                                         ": nobody drops after it (\"reached\" counts those who got there)"});
        return false;
    }
    return true;
}

bool check_rfm_rule(const RfmRule& rule, const EvalContext& ctx, const std::string& path,
                    std::vector<DefinitionError>& errors, std::optional<RfmRuleSource>* source) {
    source->reset();
    if (ctx.rfm) *source = ctx.rfm(rule.rfm);
    if (!*source) {
        errors.push_back({rule.rfm.empty() ? path : child_path(path, "rfm"),
                          rule.rfm.empty() ? std::string("RFM settings are not available here")
                                           : "unknown RFM settings " + quote(rule.rfm)});
        return false;
    }
    const RfmRuleSource& s = **source;
    const size_t before = errors.size();
    for (size_t i = 0; i < rule.segments.size(); i++) {
        if (std::find(s.segments.begin(), s.segments.end(), rule.segments[i]) != s.segments.end()) continue;
        std::string known;
        for (const std::string& name : s.segments) known += (known.empty() ? "" : ", ") + quote(name);
        errors.push_back(
            {child_path(path, "segments", i),
             "unknown RFM segment " + quote(rule.segments[i]) + " (" +
                 (rule.rfm.empty() ? std::string("the default settings") : "settings " + show_id(rule.rfm)) +
                 " have " + known + ")"});
    }
    const std::pair<const char*, const std::optional<ScoreRange>*> ranges[] = {
        {"r", &rule.r}, {"f", &rule.f}, {"m", &rule.m}};
    for (const auto& [name, range] : ranges)
        if (*range && (*range)->hi > s.max_score)
            errors.push_back({child_path(path, name), "scores run from 1 to " + std::to_string(s.max_score) +
                                                          (s.max_score == 2 ? " with the mean method" : "")});
    return errors.size() == before;
}

namespace detail {

EvalResult evaluate_with_cache(const Audience& audience, const EvalContext& ctx, AudienceCache* cache) {
    return Evaluator(ctx, cache).run(audience);
}

} // namespace detail

EvalResult evaluate(const Audience& audience, const EvalContext& ctx) {
    return detail::evaluate_with_cache(audience, ctx, nullptr);
}

} // namespace segx
