// validate_rfm / parse_rfm / from_json: one strict reader that checks and converts in the same
// walk (as the funnel and audience readers do), reporting every problem with its JSON path.

#include "core/rfm/json.h"

#include "core/lang/json_fields.h"
#include "core/lang/json_text.h"
#include "core/lang/text.h"

#include <stdexcept>

namespace segx {

namespace {

using namespace json_read;

class RfmReader : public FieldReader {
public:
    Rfm rfm(const json& doc) {
        Rfm r;
        if (!document(doc, "RFM")) return r;
        keys(doc, "", {"segx", "kind", "id", "name", "method", "monetary", "thresholds", "segments"});
        std::string kind;
        if (string(get(doc, "kind"), "kind", &kind, true, false) && kind != "rfm")
            fail("kind", "expected \"rfm\", got " + quote(kind));
        string(get(doc, "id"), "id", &r.id, false, false);
        string(get(doc, "name"), "name", &r.name, false, false);
        if (const json* method = get(doc, "method"))
            pick(method, "method", "method", {"quantile", "thresholds", "mean"}, rfm_method_from_name,
                 &r.method);
        if (const json* monetary = get(doc, "monetary"))
            pick(monetary, "monetary", "monetary", {"total", "mean_order"}, rfm_monetary_from_name,
                 &r.monetary);
        if (const json* t = get(doc, "thresholds")) thresholds(*t, r.thresholds);
        if (const json* s = get(doc, "segments"))
            segments(*s, r.method, r.segments);
        else
            r.segments = default_rfm_segments(r.method);
        return r;
    }

private:
    void thresholds(const json& v, RfmThresholds& out) {
        const std::string path = "thresholds";
        if (!object(v, path)) return;
        keys(v, path, {"r", "f", "m"});
        const size_t before = errors.size();
        cuts(get(v, "r"), key_path(path, "r"), out.r);
        cuts(get(v, "f"), key_path(path, "f"), out.f);
        cuts(get(v, "m"), key_path(path, "m"), out.m);
        if (errors.size() == before)
            for (DefinitionError& e : check_rfm_thresholds(out)) fail(e.path, std::move(e.message));
    }

    void cuts(const json* v, const std::string& path, std::array<double, 4>& out) {
        if (v == nullptr) return; // the default
        if (!v->is_array() || v->size() != 4) {
            fail(path, std::string("expected four ascending numbers, got ") +
                           (v->is_array() ? std::to_string(v->size()) + " items" : type_of(*v)));
            return;
        }
        std::array<double, 4> read = out;
        bool ok = true;
        for (size_t i = 0; i < 4; i++) {
            const std::string p = index_path(path, i);
            if (!(*v)[i].is_number()) {
                fail(p, std::string("expected a number, got ") + type_of((*v)[i]));
                ok = false;
            } else {
                ok = number((*v)[i], p, &read[i]) && ok;
            }
        }
        if (ok) out = read;
    }

    void segments(const json& v, RfmMethod method, std::vector<RfmSegment>& out) {
        const std::string path = "segments";
        out.clear();
        if (!v.is_array()) {
            fail(path, std::string("expected an array, got ") + type_of(v));
            return;
        }
        if (v.size() > kMaxRfmSegments) {
            fail(path,
                 "at most " + std::to_string(kMaxRfmSegments) + " segments, got " + std::to_string(v.size()));
            return;
        }
        const size_t before = errors.size();
        const int S = rfm_max_score(method);
        for (size_t i = 0; i < v.size(); i++) {
            const std::string sp = index_path(path, i);
            RfmSegment s;
            if (object(v[i], sp)) {
                keys(v[i], sp, {"name", "r", "f", "m", "color"});
                string(get(v[i], "name"), key_path(sp, "name"), &s.name, true, false);
                range(get(v[i], "r"), key_path(sp, "r"), S, true, &s.r);
                range(get(v[i], "f"), key_path(sp, "f"), S, true, &s.f);
                if (const json* m = get(v[i], "m")) {
                    s.m = RfmScoreRange{};
                    range(m, key_path(sp, "m"), S, true, &*s.m);
                }
                if (const json* c = get(v[i], "color")) {
                    string(c, key_path(sp, "color"), &s.color, true, false);
                    if (s.color.empty()) fail(key_path(sp, "color"), "expected \"#rrggbb\", got \"\"");
                }
            }
            out.push_back(std::move(s));
        }
        // Names, colours and coverage, once every segment reads (else the cells would mislead).
        if (errors.size() == before)
            for (DefinitionError& e : check_rfm_segments(out, method)) fail(e.path, std::move(e.message));
    }

    void range(const json* v, const std::string& path, int S, bool required, RfmScoreRange* out) {
        const std::string expected = "expected [lo, hi] with 1 <= lo <= hi <= " + std::to_string(S) +
                                     (S == 2 ? " (the mean method scores 1-2)" : "");
        if (v == nullptr) {
            if (required) fail(path, "missing (" + expected + ")");
            return;
        }
        if (!v->is_array() || v->size() != 2) {
            fail(path, expected);
            return;
        }
        int64_t lo = 0, hi = 0;
        const std::string unit = " (a score)";
        bool ok = whole((*v)[0], index_path(path, 0), 1, S, &lo, unit.c_str());
        ok = whole((*v)[1], index_path(path, 1), 1, S, &hi, unit.c_str()) && ok;
        if (!ok) return;
        if (lo > hi) {
            fail(path, expected + ", got [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
            return;
        }
        *out = RfmScoreRange{int(lo), int(hi)};
    }
};

} // namespace

RfmValidation validate_rfm(const json& document) {
    RfmValidation result;
    try {
        RfmReader reader;
        result.rfm = reader.rfm(document);
        reader.finish();
        result.errors = std::move(reader.errors);
    } catch (const std::exception& e) { // allocation failure; nothing else throws
        result.errors.push_back(DefinitionError{"$", sanitize_utf8(e.what())});
    }
    if (!result.ok()) result.rfm = Rfm();
    return result;
}

RfmValidation parse_rfm(std::string_view text) {
    return parse_and_validate<RfmValidation>(text, [](const json& doc) { return validate_rfm(doc); });
}

void from_json(const json& in, Rfm& rfm) {
    RfmValidation r = validate_rfm(in);
    if (!r.ok()) throw std::invalid_argument("invalid RFM definition:\n" + join_errors(r.errors));
    rfm = std::move(r.rfm);
}

} // namespace segx
