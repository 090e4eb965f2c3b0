// validate_audience / parse_audience / from_json: one reader that checks and converts in the
// same walk, so that what validates is exactly what reads. It reports a problem and keeps
// going (a bad field reads as its default), so one import lists every problem at once.

#include "core/audience/json.h"

#include "core/dataset/column.h"
#include "core/lang/json_fields.h"
#include "core/lang/json_text.h"
#include "core/lang/text.h"
#include "core/time/civil.h"
#include "core/time/parse.h"

#include <stdexcept>

namespace segx {

namespace {

using namespace json_read;

const std::initializer_list<const char*> kKinds = {"group",     "property", "behavior", "rfm",
                                                   "lifecycle", "funnel",   "audience", "retention"};

// "YYYY-MM-DD" naming a real calendar day (no 2026-02-30).
bool valid_iso_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return false;
    int y = std::stoi(s.substr(0, 4));
    unsigned m = unsigned(std::stoi(s.substr(5, 2))), d = unsigned(std::stoi(s.substr(8, 2)));
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31) return false;
    int yy = 0;
    unsigned mm = 0, dd = 0;
    civil_from_days(days_from_civil(y, m, d), yy, mm, dd);
    return yy == y && mm == m && dd == d;
}

// The definition schema of json.h, one method per JSON object kind.
class AudienceReader : public FieldReader {
public:
    Audience audience(const json& doc) {
        Audience a;
        if (!document(doc, "audience")) return a;
        keys(doc, "", {"segx", "id", "name", "root"});
        string(get(doc, "id"), "id", &a.id, false, false);
        string(get(doc, "name"), "name", &a.name, false, false);
        const json* root = get(doc, "root");
        if (root == nullptr)
            fail("root", "missing");
        else
            a.root = group(*root, "root", 1, true);
        return a;
    }

private:
    // ---- rules ------------------------------------------------------------------------------

    Group group(const json& v, const std::string& path, int depth, bool is_root) {
        Group g;
        if (depth > kMaxGroupDepth) {
            fail(path, "groups nested deeper than " + std::to_string(kMaxGroupDepth) + " levels");
            return g;
        }
        if (!object(v, path)) return g;
        keys(v, path, {"kind", "match", "negate", "rules"});
        if (is_root) {
            const json* kind = get(v, "kind");
            std::string k;
            if (kind != nullptr && string(kind, key_path(path, "kind"), &k, true, false) && k != "group")
                fail(key_path(path, "kind"), "the root must be a group, got " + quote(k));
        }
        pick(
            get(v, "match"), key_path(path, "match"), "match", {"all", "any"},
            [](std::string_view s) -> std::optional<Match> {
                if (s == "all") return Match::All;
                if (s == "any") return Match::Any;
                return std::nullopt;
            },
            &g.match);
        boolean(get(v, "negate"), key_path(path, "negate"), &g.negate);
        const json* rules = get(v, "rules");
        const std::string rules_path = key_path(path, "rules");
        if (rules == nullptr) {
            fail(rules_path, "missing (an empty list is fine)");
            return g;
        }
        if (!rules->is_array()) {
            fail(rules_path, std::string("expected an array, got ") + type_of(*rules));
            return g;
        }
        for (size_t i = 0; i < rules->size(); i++) {
            if (++rule_count_ > kMaxRules) {
                fail(index_path(rules_path, i),
                     "more than " + std::to_string(kMaxRules) + " rules in one definition");
                return g;
            }
            g.rules.push_back(rule((*rules)[i], index_path(rules_path, i), depth));
        }
        return g;
    }

    Rule rule(const json& v, const std::string& path, int depth) {
        if (!object(v, path)) return Rule();
        const json* kind = get(v, "kind");
        std::string k;
        if (kind == nullptr) {
            fail(key_path(path, "kind"), "missing (expected " + one_of(kKinds) + ")");
            return Rule();
        }
        if (!string(kind, key_path(path, "kind"), &k, true, false)) return Rule();
        if (k == "group") return group(v, path, depth + 1, false);
        if (k == "property") return property(v, path);
        if (k == "behavior") return behavior(v, path);
        if (k == "rfm") return rfm(v, path);
        if (k == "lifecycle") return lifecycle(v, path);
        if (k == "funnel") return funnel(v, path);
        if (k == "audience") return audience_ref(v, path);
        if (k == "retention") return retention(v, path);
        fail(key_path(path, "kind"), "unknown kind " + quote(k) + " (expected " + one_of(kKinds) + ")");
        return Rule();
    }

    PropertyRule property(const json& v, const std::string& path) {
        PropertyRule r;
        keys(v, path, {"kind", "attribute", "op", "value", "values", "ci"});
        comparison(v, path, "attribute", &r.attribute, &r.op, &r.values, &r.ci);
        return r;
    }

    template <typename T>
    void measure_values(const json& obj, const std::string& path, Op op, std::vector<T>* out) {
        const json* one = get(obj, "value");
        const json* many = get(obj, "values");
        std::string opq = quote(op_name(op));
        const auto read = [&](const json& v, const std::string& p) {
            if constexpr (std::is_same<T, int64_t>::value) {
                int64_t n = 0;
                if (whole(v, p, 0, kMaxCount, &n)) out->push_back(n);
            } else {
                double x = 0;
                if (number(v, p, &x)) out->push_back(x);
            }
        };
        if (op != Op::Between) {
            if (many != nullptr)
                fail(key_path(path, "values"), opq + " takes one \"value\", not a \"values\" list");
            if (one == nullptr)
                fail(key_path(path, "value"), "missing");
            else
                read(*one, key_path(path, "value"));
            return;
        }
        if (one != nullptr) fail(key_path(path, "value"), "\"between\" takes \"values\": [low, high]");
        if (many == nullptr || !many->is_array() || many->size() != 2) {
            fail(key_path(path, "values"), many == nullptr
                                               ? std::string("missing")
                                               : "\"between\" takes exactly two values [low, high]");
            return;
        }
        read((*many)[0], index_path(key_path(path, "values"), 0));
        read((*many)[1], index_path(key_path(path, "values"), 1));
        if (out->size() == 2 && (*out)[0] > (*out)[1])
            fail(key_path(path, "values"), "low " + format_double(double((*out)[0])) + " is above high " +
                                               format_double(double((*out)[1])));
    }

    // An operator from a subset (counts and aggregates compare numbers only).
    std::optional<Op> restricted_op(const json* v, const std::string& path, const char* what,
                                    std::initializer_list<const char*> allowed) {
        Op op = Op::Eq;
        if (v == nullptr) {
            fail(path, "missing (expected " + one_of(allowed) + ")");
            return std::nullopt;
        }
        if (!pick(v, path, "operator", kOpNames, op_from_name, &op)) return std::nullopt;
        for (const char* a : allowed)
            if (std::string_view(op_name(op)) == a) return op;
        fail(path, "operator " + quote(op_name(op)) + " is not allowed for " + what + " (expected " +
                       one_of(allowed) + ")");
        return std::nullopt;
    }

    BehaviorRule behavior(const json& v, const std::string& path) {
        BehaviorRule r;
        keys(v, path, {"kind", "did", "event", "where", "window", "count", "aggregate", "occurrence"});
        boolean(get(v, "did"), key_path(path, "did"), &r.did);
        string(get(v, "event"), key_path(path, "event"), &r.event, true, true);

        filters(v, path, &r.where);
        if (const json* w = get(v, "window")) r.window = window(*w, key_path(path, "window"));

        const json* count = get(v, "count");
        const json* aggregate = get(v, "aggregate");
        const json* occurrence = get(v, "occurrence");
        if ((count != nullptr) + (aggregate != nullptr) + (occurrence != nullptr) > 1) {
            fail(path, "use only one of count, aggregate and occurrence");
            return r;
        }
        if (count != nullptr) {
            const std::string cp = key_path(path, "count");
            CountMeasure m;
            m.values.clear();
            if (object(*count, cp)) {
                keys(*count, cp, {"op", "value", "values", "unit"});
                if (const json* unit = get(*count, "unit"))
                    pick(unit, key_path(cp, "unit"), "unit", {"events", "orders", "days"},
                         count_unit_from_name, &m.unit);
                if (auto op = restricted_op(get(*count, "op"), key_path(cp, "op"), "a count",
                                            {"gte", "lte", "eq", "between"})) {
                    m.op = *op;
                    measure_values(*count, cp, m.op, &m.values);
                }
            }
            r.measure = m;
        } else if (aggregate != nullptr) {
            const std::string ap = key_path(path, "aggregate");
            AggregateMeasure m;
            m.values.clear();
            if (object(*aggregate, ap)) {
                keys(*aggregate, ap, {"fn", "of", "property", "op", "value", "values"});
                pick(get(*aggregate, "fn"), key_path(ap, "fn"), "function", {"sum", "avg", "min", "max"},
                     aggregate_fn_from_name, &m.fn);
                std::string of;
                const json* prop = get(*aggregate, "property");
                if (const json* o = get(*aggregate, "of"); o == nullptr) {
                    fail(key_path(ap, "of"), "missing (expected revenue or property)");
                } else if (string(o, key_path(ap, "of"), &of, true, false)) {
                    if (of == "property")
                        string(prop, key_path(ap, "property"), &m.property, true, true);
                    else if (of != "revenue")
                        fail(key_path(ap, "of"),
                             "unknown source " + quote(of) + " (expected revenue or property)");
                    else if (prop != nullptr)
                        fail(key_path(ap, "property"), "only with \"of\": \"property\"");
                }
                if (auto op = restricted_op(get(*aggregate, "op"), key_path(ap, "op"), "an aggregate",
                                            {"eq", "neq", "gt", "gte", "lt", "lte", "between"})) {
                    m.op = *op;
                    measure_values(*aggregate, ap, m.op, &m.values);
                }
            }
            r.measure = m;
        } else if (occurrence != nullptr) {
            OccurrenceMeasure m;
            pick(
                occurrence, key_path(path, "occurrence"), "occurrence", {"first", "last"},
                [](std::string_view s) -> std::optional<bool> {
                    if (s == "first") return false;
                    if (s == "last") return true;
                    return std::nullopt;
                },
                &m.last);
            r.measure = m;
        }
        return r;
    }

    void score_range(const json* v, const std::string& path, std::optional<ScoreRange>* out) {
        if (v == nullptr) return;
        int64_t lo = 0, hi = 0;
        if (!v->is_array() || v->size() != 2) {
            fail(path, "expected [low, high] with scores from 1 to 5");
            return;
        }
        bool ok = whole((*v)[0], index_path(path, 0), 1, 5, &lo);
        ok = whole((*v)[1], index_path(path, 1), 1, 5, &hi) && ok;
        if (!ok) return;
        if (lo > hi) fail(path, "low " + std::to_string(lo) + " is above high " + std::to_string(hi));
        *out = ScoreRange{int(lo), int(hi)};
    }

    RfmRule rfm(const json& v, const std::string& path) {
        RfmRule r;
        keys(v, path, {"kind", "rfm", "segments", "r", "f", "m"});
        string(get(v, "rfm"), key_path(path, "rfm"), &r.rfm, false, true);
        const json* segments = get(v, "segments");
        if (segments != nullptr) {
            const std::string sp = key_path(path, "segments");
            if (!segments->is_array())
                fail(sp, std::string("expected an array of segment names, got ") + type_of(*segments));
            else if (segments->empty())
                fail(sp, "expected at least one segment");
            else if (segments->size() > kMaxValues)
                fail(sp, "more than " + std::to_string(kMaxValues) + " segments");
            else
                for (size_t i = 0; i < segments->size(); i++) {
                    std::string s;
                    if (string(&(*segments)[i], index_path(sp, i), &s, true, true))
                        r.segments.push_back(std::move(s));
                }
        }
        score_range(get(v, "r"), key_path(path, "r"), &r.r);
        score_range(get(v, "f"), key_path(path, "f"), &r.f);
        score_range(get(v, "m"), key_path(path, "m"), &r.m);
        bool ranges = get(v, "r") || get(v, "f") || get(v, "m");
        if (segments != nullptr && ranges) fail(path, "use either segments or r/f/m score ranges, not both");
        if (segments == nullptr && !ranges) fail(path, "expected segments or r/f/m score ranges");
        return r;
    }

    LifecycleRule lifecycle(const json& v, const std::string& path) {
        LifecycleRule r;
        keys(v, path, {"kind", "stage", "period", "event", "group", "window", "dormant_days"});
        if (const json* group = get(v, "group")) {
            // The board's form: a group, its period and dormancy threshold.
            if (get(v, "stage")) fail(key_path(path, "stage"), "use either stage or group, not both");
            if (get(v, "period"))
                fail(key_path(path, "period"),
                     "a group rule takes the board's \"window\" and \"dormant_days\", not a period");
            LifecycleGroup g = LifecycleGroup::New;
            if (pick(group, key_path(path, "group"), "group", {"new", "returning", "dormant"},
                     lifecycle_group_from_name, &g))
                r.group = g;
            if (const json* w = get(v, "window")) {
                r.window = window(*w, key_path(path, "window"));
                const auto* range = std::get_if<WindowRange>(&r.window);
                if (range != nullptr && range->from.empty() && w->is_object() && get(*w, "from") == nullptr &&
                    get(*w, "to") != nullptr)
                    fail(key_path(key_path(path, "window"), "from"),
                         "missing: the board's period needs a start");
            }
            if (const json* d = get(v, "dormant_days"))
                whole(*d, key_path(path, "dormant_days"), 1, kMaxWindowDays, &r.dormant_days, " of days");
            string(get(v, "event"), key_path(path, "event"), &r.event, false, true);
            return r;
        }
        for (const char* key : {"window", "dormant_days"})
            if (get(v, key)) fail(key_path(path, key), "only a group rule (\"group\") takes this");
        pick(get(v, "stage"), key_path(path, "stage"), "stage",
             {"new", "returning", "resurrecting", "dormant"}, lifecycle_stage_from_name, &r.stage);
        if (const json* period = get(v, "period"))
            pick(period, key_path(path, "period"), "period", {"day", "week", "month"}, period_unit_from_name,
                 &r.period);
        string(get(v, "event"), key_path(path, "event"), &r.event, false, true);
        return r;
    }

    FunnelRule funnel(const json& v, const std::string& path) {
        FunnelRule r;
        keys(v, path, {"kind", "funnel", "reached", "dropped_after"});
        string(get(v, "funnel"), key_path(path, "funnel"), &r.funnel, true, true);
        const json* reached = get(v, "reached");
        const json* dropped = get(v, "dropped_after");
        if ((reached != nullptr) == (dropped != nullptr)) {
            fail(path, "expected exactly one of reached and dropped_after");
            return r;
        }
        r.dropped_after = dropped != nullptr;
        int64_t step = 1;
        whole(r.dropped_after ? *dropped : *reached,
              key_path(path, r.dropped_after ? "dropped_after" : "reached"), 1, kMaxFunnelStep, &step,
              " (a step)");
        r.step = int(step);
        return r;
    }

    // The retention itself is read when the rule runs (evaluate.h RetentionRuleSource): here, an
    // object; the cohort a valid calendar date; the period in range.
    RetentionRule retention(const json& v, const std::string& path) {
        RetentionRule r;
        keys(v, path, {"kind", "retention", "cohort", "period"});
        const json* def = get(v, "retention");
        if (def == nullptr)
            fail(key_path(path, "retention"), "missing (expected a retention definition)");
        else if (!def->is_object())
            fail(key_path(path, "retention"), "expected a retention definition (an object)");
        else
            r.retention = *def;
        if (string(get(v, "cohort"), key_path(path, "cohort"), &r.cohort, true, false) &&
            !valid_iso_date(r.cohort))
            fail(key_path(path, "cohort"),
                 "expected a date as YYYY-MM-DD (the first day of the cohort's period), got " +
                     quote(r.cohort));
        int64_t k = 0;
        const json* period = get(v, "period");
        if (period == nullptr)
            fail(key_path(path, "period"), "missing (expected a whole number from 0 to " +
                                               std::to_string(kMaxRetentionRulePeriod) + ")");
        else
            whole(*period, key_path(path, "period"), 0, kMaxRetentionRulePeriod, &k, "");
        r.period = int(k);
        return r;
    }

    AudienceRefRule audience_ref(const json& v, const std::string& path) {
        AudienceRefRule r;
        keys(v, path, {"kind", "op", "id"});
        pick(
            get(v, "op"), key_path(path, "op"), "operator", {"in", "not_in"},
            [](std::string_view s) -> std::optional<bool> {
                if (s == "in") return true;
                if (s == "not_in") return false;
                return std::nullopt;
            },
            &r.in);
        string(get(v, "id"), key_path(path, "id"), &r.id, true, true);
        return r;
    }

    size_t rule_count_ = 0;
};

} // namespace

ValidationResult validate_audience(const json& document) {
    ValidationResult result;
    try {
        AudienceReader reader;
        result.audience = reader.audience(document);
        reader.finish();
        result.errors = std::move(reader.errors);
    } catch (const std::exception& e) { // allocation failure; nothing else throws
        result.errors.push_back(DefinitionError{"$", sanitize_utf8(e.what())});
    }
    if (!result.ok()) result.audience = Audience();
    return result;
}

ValidationResult parse_audience(std::string_view text) {
    return parse_and_validate<ValidationResult>(text, [](const json& doc) { return validate_audience(doc); });
}

void from_json(const json& in, Audience& audience) {
    ValidationResult r = validate_audience(in);
    if (!r.ok()) throw std::invalid_argument("invalid audience definition:\n" + join_errors(r.errors));
    audience = std::move(r.audience);
}

} // namespace segx
