// validate_funnel / parse_funnel / from_json: one strict reader that checks and converts in the
// same walk (as the audience reader does), reporting every problem with its JSON path.

#include "core/funnel/json.h"

#include "core/lang/json_fields.h"
#include "core/lang/json_text.h"
#include "core/lang/text.h"

#include <stdexcept>

namespace segx {

namespace {

using namespace json_read;

class FunnelReader : public FieldReader {
public:
    explicit FunnelReader(const GroupCheck& check_group) : check_group_(check_group) {}

    Funnel funnel(const json& doc) {
        Funnel f;
        if (!document(doc, "funnel")) return f;
        keys(doc, "",
             {"segx", "kind", "id", "name", "steps", "order", "window", "entry", "exclusions", "breakdown",
              "audience"});
        std::string kind;
        if (string(get(doc, "kind"), "kind", &kind, true, false) && kind != "funnel")
            fail("kind", "expected \"funnel\", got " + quote(kind));
        string(get(doc, "id"), "id", &f.id, false, false);
        string(get(doc, "name"), "name", &f.name, false, false);
        steps(get(doc, "steps"), f.steps);
        if (const json* order = get(doc, "order"))
            pick(order, "order", "order", {"ordered", "strict", "unordered"}, funnel_order_from_name,
                 &f.order);
        if (const json* w = get(doc, "window")) f.window = window(*w, "window");
        if (const json* e = get(doc, "entry")) f.entry = entry(*e, "entry");
        if (const json* x = get(doc, "exclusions")) exclusions(*x, f);
        if (const json* b = get(doc, "breakdown")) f.breakdown = breakdown(*b, "breakdown");
        if (const json* a = get(doc, "audience")) f.audience = audience_filter(*a, "audience", check_group_);
        return f;
    }

private:
    void steps(const json* v, std::vector<FunnelStep>& out) {
        if (v == nullptr) {
            fail("steps", "missing (a funnel has 2 to 32 steps)");
            return;
        }
        if (!v->is_array()) {
            fail("steps", std::string("expected an array, got ") + type_of(*v));
            return;
        }
        if (v->size() < kMinFunnelSteps || v->size() > kMaxFunnelSteps) {
            fail("steps", "a funnel has 2 to 32 steps, got " + std::to_string(v->size()));
            return;
        }
        for (size_t i = 0; i < v->size(); i++) {
            const std::string path = index_path("steps", i);
            FunnelStep s;
            if (object((*v)[i], path)) {
                keys((*v)[i], path, {"event", "where"});
                string(get((*v)[i], "event"), key_path(path, "event"), &s.event, true, true);
                filters((*v)[i], path, &s.where);
            }
            out.push_back(std::move(s));
        }
    }

    FunnelWindow window(const json& v, const std::string& path) {
        FunnelWindow w;
        if (!object(v, path)) return w;
        const std::initializer_list<const char*> units = {"seconds", "minutes", "hours", "days"};
        keys(v, path, units);
        if (v.size() != 1) {
            fail(path,
                 "expected exactly one of " + one_of(units) + ", got " + std::to_string(v.size()) + " keys");
            return w;
        }
        auto unit = window_unit_from_name(v.begin().key());
        if (!unit) return w; // reported by keys()
        w.unit = *unit;
        whole(v.begin().value(), key_path(path, v.begin().key()), 1, max_window_amount(*unit), &w.amount,
              (" of " + v.begin().key() + " (at most 366 days)").c_str());
        return w;
    }

    FunnelEntry entry(const json& v, const std::string& path) {
        FunnelEntry e;
        if (!object(v, path)) return e;
        keys(v, path, {"from", "to"});
        const json* from = get(v, "from");
        const json* to = get(v, "to");
        if (from == nullptr && to == nullptr) {
            fail(path, "expected from and/or to");
            return e;
        }
        int64_t from_us = 0, to_us = 0;
        bool from_ok = from != nullptr && time(*from, key_path(path, "from"), &e.from, &from_us);
        bool to_ok = to != nullptr && time(*to, key_path(path, "to"), &e.to, &to_us);
        if (from_ok && to_ok && from_us > to_us)
            fail(key_path(path, "to"), "must not be before from (the range [from, to] is inclusive)");
        return e;
    }

    void exclusions(const json& v, Funnel& f) {
        const std::string path = "exclusions";
        if (!v.is_array()) {
            fail(path, std::string("expected an array, got ") + type_of(v));
            return;
        }
        if (v.size() > kMaxFunnelExclusions) {
            fail(path, "more than " + std::to_string(kMaxFunnelExclusions) + " exclusions");
            return;
        }
        if (f.order == FunnelOrder::Unordered && !v.empty())
            fail(path, "exclusions apply to ordered and strict funnels only");
        const int64_t steps = int64_t(f.steps.size());
        for (size_t i = 0; i < v.size(); i++) {
            const std::string xp = index_path(path, i);
            FunnelExclusion x;
            if (object(v[i], xp)) {
                keys(v[i], xp, {"event", "where", "between"});
                string(get(v[i], "event"), key_path(xp, "event"), &x.event, true, true);
                filters(v[i], xp, &x.where);
                between(get(v[i], "between"), key_path(xp, "between"), steps, x);
            }
            f.exclusions.push_back(std::move(x));
        }
    }

    void between(const json* v, const std::string& path, int64_t steps, FunnelExclusion& x) {
        if (v == nullptr) {
            fail(path, "missing (expected [i, j], steps numbered from 1)");
            return;
        }
        if (!v->is_array() || v->size() != 2) {
            fail(path, "expected [i, j] with 1 <= i < j <= the number of steps");
            return;
        }
        const int64_t hi = steps >= int64_t(kMinFunnelSteps) ? steps : int64_t(kMaxFunnelSteps);
        int64_t i = 0, j = 0;
        bool ok = whole((*v)[0], index_path(path, 0), 1, hi, &i, " (a step)");
        ok = whole((*v)[1], index_path(path, 1), 1, hi, &j, " (a step)") && ok;
        if (!ok) return;
        if (i >= j) fail(path, "step " + std::to_string(i) + " is not before step " + std::to_string(j));
        x.from = int(i);
        x.to = int(j);
    }

    FunnelBreakdown breakdown(const json& v, const std::string& path) {
        FunnelBreakdown b;
        if (!object(v, path)) return b;
        keys(v, path, {"attribute", "property", "top"});
        const json* attribute = get(v, "attribute");
        const json* property = get(v, "property");
        if ((attribute != nullptr) == (property != nullptr)) {
            fail(path, "expected exactly one of attribute and property");
        } else {
            b.property = property != nullptr;
            string(b.property ? property : attribute, key_path(path, b.property ? "property" : "attribute"),
                   &b.name, true, true);
        }
        if (const json* top = get(v, "top")) whole(*top, key_path(path, "top"), 1, kMaxBreakdownTop, &b.top);
        return b;
    }

    const GroupCheck& check_group_;
};

} // namespace

FunnelValidation validate_funnel(const json& document, const GroupCheck& check_group) {
    FunnelValidation result;
    try {
        FunnelReader reader(check_group);
        result.funnel = reader.funnel(document);
        reader.finish();
        result.errors = std::move(reader.errors);
    } catch (const std::exception& e) { // allocation failure; nothing else throws
        result.errors.push_back(DefinitionError{"$", sanitize_utf8(e.what())});
    }
    if (!result.ok()) result.funnel = Funnel();
    return result;
}

FunnelValidation parse_funnel(std::string_view text, const GroupCheck& check_group) {
    return parse_and_validate<FunnelValidation>(
        text, [&](const json& doc) { return validate_funnel(doc, check_group); });
}

void from_json(const json& in, Funnel& funnel) {
    FunnelValidation r = validate_funnel(in);
    if (!r.ok()) throw std::invalid_argument("invalid funnel definition:\n" + join_errors(r.errors));
    funnel = std::move(r.funnel);
}

} // namespace segx
