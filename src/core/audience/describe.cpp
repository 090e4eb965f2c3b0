#include "core/audience/describe.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace segx {

namespace {

struct OpWords {
    Op op;
    const char* words;
};
const OpWords kOpWords[] = {
    {Op::Eq, "is"},
    {Op::Neq, "is not"},
    {Op::In, "is one of"},
    {Op::NotIn, "is none of"},
    {Op::Contains, "contains"},
    {Op::NotContains, "does not contain"},
    {Op::StartsWith, "starts with"},
    {Op::Gt, ">"},
    {Op::Gte, ">="},
    {Op::Lt, "<"},
    {Op::Lte, "<="},
    {Op::Between, "between"},
    {Op::IsSet, "is set"},
    {Op::IsNotSet, "is not set"},
};

std::string number_words(double x) {
    char buf[32];
    if (std::isfinite(x) && std::fabs(x) < 9.0e15 && x == std::trunc(x))
        std::snprintf(buf, sizeof buf, "%.0f", x);
    else
        std::snprintf(buf, sizeof buf, "%.15g", x); // shortest that reads back for what people type
    return buf;
}

std::string scalar_words(const Scalar& s) {
    switch (s.kind) {
        case Scalar::Kind::String:
            return s.text;
        case Scalar::Kind::Number:
            return number_words(s.number);
        case Scalar::Kind::Bool:
            return s.boolean ? "true" : "false";
    }
    return {};
}

std::string comparison(const std::string& what, Op op, const std::vector<Scalar>& values) {
    std::string out = what + " " + op_words(op);
    for (size_t i = 0; i < values.size() && i < 3; i++)
        out += (i == 0 ? " " : op == Op::Between ? " and " : ", ") + scalar_words(values[i]);
    if (values.size() > 3) out += ", …";
    return out;
}

std::string window_words(const TimeWindow& w) {
    if (auto* d = std::get_if<WindowLastDays>(&w)) return " in the last " + std::to_string(d->days) + " days";
    if (auto* r = std::get_if<WindowRange>(&w)) {
        if (r->from.empty()) return " up to " + r->to;
        if (r->to.empty()) return " after " + r->from;
        return " between " + r->from + " and " + r->to;
    }
    return "";
}

std::string measure_words(const Measure& m) {
    if (auto* c = std::get_if<CountMeasure>(&m)) {
        if (c->op == Op::Gte && c->values.size() == 1 && c->values[0] == 1) return "";
        std::string out = std::string(" ") + op_words(c->op);
        for (size_t i = 0; i < c->values.size(); i++)
            out += (i ? " and " : " ") + std::to_string(c->values[i]);
        return out + " times";
    }
    if (auto* a = std::get_if<AggregateMeasure>(&m)) {
        std::string out = std::string(", ") + aggregate_fn_name(a->fn) + " of " +
                          (a->property.empty() ? std::string("revenue") : a->property) + " " +
                          op_words(a->op);
        for (size_t i = 0; i < a->values.size(); i++) out += (i ? " and " : " ") + number_words(a->values[i]);
        return out;
    }
    if (auto* o = std::get_if<OccurrenceMeasure>(&m)) return o->last ? ", the last time" : ", the first time";
    return "";
}

std::string summary_of(const RuleNode& node) {
    struct Visit {
        std::string operator()(const Group& g) const {
            std::string out = std::string(g.negate                ? "none of "
                                          : g.match == Match::All ? "all of "
                                                                  : "any of ") +
                              std::to_string(g.rules.size()) + (g.rules.size() == 1 ? " rule" : " rules");
            return out;
        }
        std::string operator()(const PropertyRule& p) const {
            return comparison(p.attribute, p.op, p.values);
        }
        std::string operator()(const BehaviorRule& b) const {
            std::string out =
                std::string(b.did ? "did " : "did not do ") + (b.event.empty() ? "(no event)" : b.event);
            for (const EventFilter& f : b.where) out += " where " + comparison(f.property, f.op, f.values);
            return out + measure_words(b.measure) + window_words(b.window);
        }
        std::string operator()(const RfmRule& r) const {
            if (!r.segments.empty())
                return "RFM segment " + r.segments.front() + (r.segments.size() > 1 ? ", …" : "");
            return "RFM scores";
        }
        std::string operator()(const LifecycleRule& l) const {
            return std::string("lifecycle stage ") + lifecycle_stage_name(l.stage);
        }
        std::string operator()(const FunnelRule& f) const {
            return std::string("funnel ") + f.funnel +
                   (f.dropped_after ? " dropped after step " : " reached step ") + std::to_string(f.step);
        }
        std::string operator()(const AudienceRefRule& a) const {
            return std::string(a.in ? "in audience " : "not in audience ") + a.id;
        }
        std::string operator()(const RetentionRule& r) const {
            auto name = r.retention.is_object() ? r.retention.find("name") : r.retention.end();
            std::string of =
                name != r.retention.end() && name->is_string() && !name->get<std::string>().empty()
                    ? " of retention " + name->get<std::string>()
                    : "";
            return "cohort " + r.cohort + of +
                   (r.period == 0 ? "" : ", returned in period " + std::to_string(r.period));
        }
    };
    return std::visit(Visit{}, node);
}

// Reads "[N]" at `at`; advances past it.
bool read_index(const std::string& path, size_t& at, size_t* out) {
    if (at >= path.size() || path[at] != '[') return false;
    size_t close = path.find(']', at);
    if (close == std::string::npos || close == at + 1) return false;
    size_t n = 0;
    for (size_t i = at + 1; i < close; i++) {
        if (path[i] < '0' || path[i] > '9') return false;
        n = n * 10 + size_t(path[i] - '0');
        if (n > kMaxRules) return false;
    }
    *out = n;
    at = close + 1;
    return true;
}

// "root.rules[2].rules[0].op" in words: "rule 1 of rule 3 of the top group" (`rest`: "op").
std::string rule_path_words(const std::string& path, std::string* rest) {
    std::string out = "the top group";
    size_t at = 4; // after "root"
    if (path.compare(0, 4, "root") != 0) {
        *rest = path;
        return "";
    }
    for (;;) {
        size_t save = at, n = 0;
        if (path.compare(at, 6, ".rules") != 0 || !read_index(path, at = at + 6, &n)) {
            at = save;
            break;
        }
        out = "rule " + std::to_string(n + 1) + " of " + out;
    }
    *rest = path.substr(at);
    if (!rest->empty() && (*rest)[0] == '.') rest->erase(0, 1);
    return out;
}

// The known messages, said of a rule.
std::string said_of_rule(const std::string& rule, const std::string& message) {
    struct Known {
        const char* prefix;
        const char* words;
    };
    static const Known kKnown[] = {
        {"unknown attribute ", "names a column that no loaded file has"},
        {"unknown event property ", "names an event property that no loaded file has"},
        {"unknown event ", "names an event that no loaded file has"},
        {"unknown audience ", "names an audience that is not saved"},
        {"unknown funnel ", "names a funnel that is not saved"},
    };
    for (const Known& k : kKnown) {
        std::string prefix = k.prefix;
        if (message.compare(0, prefix.size(), prefix) != 0) continue;
        size_t paren = message.find(" (");
        std::string detail = paren == std::string::npos ? "" : message.substr(paren);
        return "the rule " + rule + " " + k.words + detail;
    }
    return "the rule " + rule + ": " + message;
}

} // namespace

const char* op_words(Op op) {
    for (const OpWords& w : kOpWords)
        if (w.op == op) return w.words;
    return op_name(op);
}

std::string rule_summary(const Rule& rule) {
    std::string s = summary_of(rule.node);
    if (s.size() > 80) {
        size_t cut = 77;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
            cut--; // not inside a UTF-8 character
        s = s.substr(0, cut) + "…";
    }
    return s;
}

const Rule* rule_at_path(const Audience& audience, const std::string& path, std::string* rest) {
    if (path.compare(0, 4, "root") != 0) return nullptr;
    const Group* group = &audience.root;
    const Rule* found = nullptr;
    size_t at = 4;
    for (;;) {
        size_t n = 0, save = at;
        if (!group || path.compare(at, 6, ".rules") != 0) break;
        at += 6;
        if (!read_index(path, at, &n) || n >= group->rules.size()) {
            at = save;
            break;
        }
        found = &group->rules[n];
        group = std::get_if<Group>(&found->node);
    }
    if (rest) *rest = path.substr(at < path.size() && path[at] == '.' ? at + 1 : at);
    return found;
}

std::string error_text(const Audience* audience, const DefinitionError& e) {
    std::string rest;
    if (audience) {
        if (const Rule* rule = rule_at_path(*audience, e.path, &rest))
            return said_of_rule("'" + rule_summary(*rule) + "'", e.message);
    }
    if (e.path.empty() || e.path == "$") return e.message;
    std::string where = rule_path_words(e.path, &rest);
    if (where.empty()) return "the field \"" + e.path + "\": " + e.message;
    // The place in words, then the exact path (what the file says, for whoever edits it).
    return where + " (" + e.path + "): " + e.message;
}

} // namespace segx
