// validate_lifecycle / validate_board / parse_* / from_json: strict readers that check and
// convert in the same walk (as the funnel reader does), reporting every problem with its path.

#include "core/lifecycle/json.h"

#include "core/lang/json_fields.h"
#include "core/lang/json_text.h"
#include "core/lang/text.h"

#include <stdexcept>

namespace segx {

namespace {

using namespace json_read;

class LifecycleReader : public FieldReader {
public:
    explicit LifecycleReader(const GroupCheck& check_group) : check_group_(check_group) {}

    Lifecycle lifecycle(const json& doc) {
        Lifecycle l;
        if (!header(doc, "lifecycle")) return l;
        keys(doc, "", {"segx", "kind", "id", "name", "period", "event", "periods", "audience"});
        common(doc, "lifecycle", &l.id, &l.name, &l.event, &l.audience);
        if (const json* p = get(doc, "period"))
            pick(p, "period", "period", {"day", "week", "month"}, period_unit_from_name, &l.period);
        if (const json* n = get(doc, "periods")) whole(*n, "periods", 1, kMaxLifecyclePeriods, &l.periods);
        return l;
    }

    Board board(const json& doc) {
        Board b;
        if (!header(doc, "board")) return b;
        keys(doc, "", {"segx", "kind", "id", "name", "period", "dormant_days", "event", "audience"});
        common(doc, "board", &b.id, &b.name, &b.event, &b.audience);
        if (const json* p = get(doc, "period")) {
            b.period = window(*p, "period");
            const auto* range = std::get_if<WindowRange>(&b.period);
            if (range != nullptr && range->from.empty() && p->is_object() && get(*p, "from") == nullptr &&
                get(*p, "to") != nullptr)
                fail("period.from",
                     "missing: the board's period needs a start (the previous period has "
                     "the same length)");
        }
        if (const json* d = get(doc, "dormant_days"))
            whole(*d, "dormant_days", 1, kMaxWindowDays, &b.dormant_days, " of days");
        return b;
    }

private:
    // "segx": 1 first (nothing else is reported without it), then kind.
    bool header(const json& doc, const char* kind) { return document(doc, kind); }

    void common(const json& doc, const char* kind, std::string* id, std::string* name, std::string* event,
                json* audience_out) {
        std::string k;
        if (string(get(doc, "kind"), "kind", &k, true, false) && k != kind)
            fail("kind", std::string("expected \"") + kind + "\", got " + quote(k));
        string(get(doc, "id"), "id", id, false, false);
        string(get(doc, "name"), "name", name, false, false);
        if (const json* e = get(doc, "event")) string(e, "event", event, true, true);
        if (const json* a = get(doc, "audience"))
            *audience_out = audience_filter(*a, "audience", check_group_);
    }

    const GroupCheck& check_group_;
};

template <typename Result, typename Read>
Result validate(const json& document, const GroupCheck& check_group, Read read) {
    Result result;
    try {
        LifecycleReader reader(check_group);
        read(reader, document, result);
        reader.finish();
        result.errors = std::move(reader.errors);
    } catch (const std::exception& e) { // allocation failure; nothing else throws
        result.errors.push_back(DefinitionError{"$", sanitize_utf8(e.what())});
    }
    return result;
}

} // namespace

LifecycleValidation validate_lifecycle(const json& document, const GroupCheck& check_group) {
    LifecycleValidation r = validate<LifecycleValidation>(
        document, check_group, [](LifecycleReader& reader, const json& doc, LifecycleValidation& out) {
            out.lifecycle = reader.lifecycle(doc);
        });
    if (!r.ok()) r.lifecycle = Lifecycle();
    return r;
}

LifecycleValidation parse_lifecycle(std::string_view text, const GroupCheck& check_group) {
    return parse_and_validate<LifecycleValidation>(
        text, [&](const json& doc) { return validate_lifecycle(doc, check_group); });
}

BoardValidation validate_board(const json& document, const GroupCheck& check_group) {
    BoardValidation r = validate<BoardValidation>(
        document, check_group, [](LifecycleReader& reader, const json& doc, BoardValidation& out) {
            out.board = reader.board(doc);
        });
    if (!r.ok()) r.board = Board();
    return r;
}

BoardValidation parse_board(std::string_view text, const GroupCheck& check_group) {
    return parse_and_validate<BoardValidation>(
        text, [&](const json& doc) { return validate_board(doc, check_group); });
}

void from_json(const json& in, Lifecycle& lifecycle) {
    LifecycleValidation r = validate_lifecycle(in);
    if (!r.ok()) throw std::invalid_argument("invalid lifecycle definition:\n" + join_errors(r.errors));
    lifecycle = std::move(r.lifecycle);
}

void from_json(const json& in, Board& board) {
    BoardValidation r = validate_board(in);
    if (!r.ok()) throw std::invalid_argument("invalid board definition:\n" + join_errors(r.errors));
    board = std::move(r.board);
}

} // namespace segx
