// validate_retention / parse_retention / from_json: one strict reader that checks and converts
// in the same walk (as the funnel reader does), reporting every problem with its JSON path.

#include "core/retention/json.h"

#include "core/lang/json_fields.h"
#include "core/lang/json_text.h"
#include "core/lang/text.h"

#include <stdexcept>

namespace segx {

namespace {

using namespace json_read;

class RetentionReader : public FieldReader {
public:
    explicit RetentionReader(const GroupCheck& check_group) : check_group_(check_group) {}

    Retention retention(const json& doc) {
        Retention r;
        if (!document(doc, "retention")) return r;
        keys(doc, "",
             {"segx", "kind", "id", "name", "period", "start", "return", "mode", "periods", "cohorts",
              "audience"});
        std::string kind;
        if (string(get(doc, "kind"), "kind", &kind, true, false) && kind != "retention")
            fail("kind", "expected \"retention\", got " + quote(kind));
        string(get(doc, "id"), "id", &r.id, false, false);
        string(get(doc, "name"), "name", &r.name, false, false);
        if (const json* p = get(doc, "period"))
            pick(p, "period", "period", {"day", "week", "month"}, period_unit_from_name, &r.period);
        start(get(doc, "start"), r.start);
        if (const json* v = get(doc, "return")) returns(*v, r.returns);
        if (const json* m = get(doc, "mode"))
            pick(m, "mode", "mode", {"exact", "on_or_after"}, retention_mode_from_name, &r.mode);
        if (const json* n = get(doc, "periods")) whole(*n, "periods", 1, kMaxRetentionPeriods, &r.periods);
        if (const json* n = get(doc, "cohorts")) {
            int64_t c = 0;
            if (whole(*n, "cohorts", 1, kMaxRetentionCohorts, &c)) r.cohorts = c;
        }
        if (const json* a = get(doc, "audience")) r.audience = audience_filter(*a, "audience", check_group_);
        return r;
    }

private:
    void start(const json* v, RetentionStart& out) {
        if (v == nullptr) {
            fail("start", "missing (expected {\"event\": name} or {\"attribute\": name})");
            return;
        }
        if (!object(*v, "start")) return;
        keys(*v, "start", {"event", "attribute"});
        const json* event = get(*v, "event");
        const json* attribute = get(*v, "attribute");
        if ((event != nullptr) == (attribute != nullptr)) {
            fail("start", "expected exactly one of event and attribute");
            return;
        }
        out.attribute = attribute != nullptr;
        string(out.attribute ? attribute : event, out.attribute ? "start.attribute" : "start.event",
               &out.name, true, true);
    }

    void returns(const json& v, RetentionReturn& out) {
        if (!object(v, "return")) return;
        keys(v, "return", {"event", "any"});
        const json* event = get(v, "event");
        const json* any = get(v, "any");
        if ((event != nullptr) == (any != nullptr)) {
            fail("return", "expected exactly one of event and any");
            return;
        }
        if (any != nullptr) {
            if (!any->is_boolean() || !any->get<bool>())
                fail("return.any", "expected true (or name the return event instead)");
            out.any = true;
            return;
        }
        out.any = false;
        string(event, "return.event", &out.event, true, true);
    }

    const GroupCheck& check_group_;
};

} // namespace

RetentionValidation validate_retention(const json& document, const GroupCheck& check_group) {
    RetentionValidation result;
    try {
        RetentionReader reader(check_group);
        result.retention = reader.retention(document);
        reader.finish();
        result.errors = std::move(reader.errors);
    } catch (const std::exception& e) { // allocation failure; nothing else throws
        result.errors.push_back(DefinitionError{"$", sanitize_utf8(e.what())});
    }
    if (!result.ok()) result.retention = Retention();
    return result;
}

RetentionValidation parse_retention(std::string_view text, const GroupCheck& check_group) {
    return parse_and_validate<RetentionValidation>(
        text, [&](const json& doc) { return validate_retention(doc, check_group); });
}

void from_json(const json& in, Retention& retention) {
    RetentionValidation r = validate_retention(in);
    if (!r.ok()) throw std::invalid_argument("invalid retention definition:\n" + join_errors(r.errors));
    retention = std::move(r.retention);
}

} // namespace segx
