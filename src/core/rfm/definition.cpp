#include "core/rfm/definition.h"

#include "core/lang/json_fields.h"
#include "core/lang/text.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace segx {

namespace {

constexpr const char* kMethods[] = {"quantile", "thresholds", "mean"};
constexpr const char* kMonetary[] = {"total", "mean_order"};

RfmSegment segment(const char* name, RfmScoreRange r, RfmScoreRange f,
                   std::optional<RfmScoreRange> m = std::nullopt) {
    return RfmSegment{name, r, f, m, ""};
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// "(5, 4)" or "(5, 4, 1)".
std::string cell_text(int r, int f, int m, bool uses_m) {
    std::string s = "(" + std::to_string(r) + ", " + std::to_string(f);
    if (uses_m) s += ", " + std::to_string(m);
    return s + ")";
}

// The cells of a list, at most 20 written out.
std::string cells_text(const std::vector<std::string>& cells) {
    constexpr size_t kShown = 20;
    std::string out;
    for (size_t i = 0; i < cells.size() && i < kShown; i++) out += (i ? ", " : "") + cells[i];
    if (cells.size() > kShown) out += " and " + std::to_string(cells.size() - kShown) + " more";
    return out;
}

} // namespace

const char* rfm_method_name(RfmMethod method) { return kMethods[size_t(method)]; }

std::optional<RfmMethod> rfm_method_from_name(std::string_view name) {
    for (size_t i = 0; i < 3; i++)
        if (name == kMethods[i]) return RfmMethod(i);
    return std::nullopt;
}

const char* rfm_monetary_name(RfmMonetary monetary) { return kMonetary[size_t(monetary)]; }

std::optional<RfmMonetary> rfm_monetary_from_name(std::string_view name) {
    for (size_t i = 0; i < 2; i++)
        if (name == kMonetary[i]) return RfmMonetary(i);
    return std::nullopt;
}

int rfm_max_score(RfmMethod method) { return method == RfmMethod::Mean ? 2 : 5; }

std::vector<RfmSegment> default_rfm_segments(RfmMethod method) {
    if (method == RfmMethod::Mean) {
        // DESIGN §5, in its order: (R, F, M) each 2 (at least as good as the mean) or 1.
        const RfmScoreRange lo{1, 1}, hi{2, 2};
        return {segment("重要价值客户", hi, hi, hi), segment("重要发展客户", hi, lo, hi),
                segment("重要保持客户", lo, hi, hi), segment("重要挽留客户", lo, lo, hi),
                segment("一般价值客户", hi, hi, lo), segment("一般发展客户", hi, lo, lo),
                segment("一般保持客户", lo, hi, lo), segment("一般挽留客户", lo, lo, lo)};
    }
    return {segment("Champions", {5, 5}, {4, 5}),           segment("Loyal Customers", {3, 4}, {4, 5}),
            segment("Potential Loyalists", {4, 5}, {2, 3}), segment("New Customers", {5, 5}, {1, 1}),
            segment("Promising", {4, 4}, {1, 1}),           segment("Need Attention", {3, 3}, {3, 3}),
            segment("About To Sleep", {3, 3}, {1, 2}),      segment("At Risk", {1, 2}, {3, 4}),
            segment("Can't Lose Them", {1, 2}, {5, 5}),     segment("Hibernating", {1, 2}, {1, 2})};
}

bool rfm_uses_m(const std::vector<RfmSegment>& segments) {
    for (const RfmSegment& s : segments)
        if (s.m) return true;
    return false;
}

std::vector<DefinitionError> check_rfm_thresholds(const RfmThresholds& t) {
    std::vector<DefinitionError> errors;
    const std::pair<const char*, const std::array<double, 4>*> lists[] = {
        {"r", &t.r}, {"f", &t.f}, {"m", &t.m}};
    for (const auto& [key, cuts] : lists) {
        const std::string path = std::string("thresholds.") + key;
        bool finite = true;
        for (size_t i = 0; i < 4; i++)
            if (!std::isfinite((*cuts)[i])) {
                errors.push_back({path + "[" + std::to_string(i) + "]", "expected a finite number"});
                finite = false;
            }
        if (!finite) continue;
        for (size_t i = 1; i < 4; i++)
            if (!((*cuts)[i - 1] < (*cuts)[i])) {
                errors.push_back({path + "[" + std::to_string(i) + "]",
                                  "cut points must be strictly ascending (this one is not above the one "
                                  "before it)"});
                break;
            }
    }
    return errors;
}

std::vector<DefinitionError> check_rfm_segments(const std::vector<RfmSegment>& segments, RfmMethod method) {
    std::vector<DefinitionError> errors;
    const int S = rfm_max_score(method);
    if (segments.size() > kMaxRfmSegments) {
        errors.push_back({"segments", "at most " + std::to_string(kMaxRfmSegments) + " segments, got " +
                                          std::to_string(segments.size())});
        return errors;
    }
    bool bounds_ok = true;
    std::map<std::string, size_t> names;
    for (size_t i = 0; i < segments.size(); i++) {
        const RfmSegment& s = segments[i];
        const std::string path = json_read::index_path("segments", i);
        if (s.name.empty()) {
            errors.push_back({path + ".name", "must not be empty (audiences name segments)"});
        } else if (auto [it, fresh] = names.emplace(s.name, i); !fresh) {
            errors.push_back({path + ".name", "duplicate segment name " + quote(s.name) + " (also segments[" +
                                                  std::to_string(it->second) + "])"});
        }
        const std::pair<const char*, const RfmScoreRange*> ranges[] = {
            {"r", &s.r}, {"f", &s.f}, {"m", s.m ? &*s.m : nullptr}};
        for (const auto& [key, range] : ranges) {
            if (range == nullptr) continue;
            if (range->lo < 1 || range->hi > S || range->lo > range->hi) {
                errors.push_back({path + "." + key,
                                  "expected [lo, hi] with 1 <= lo <= hi <= " + std::to_string(S) +
                                      (method == RfmMethod::Mean ? " (the mean method scores 1-2)" : "") +
                                      ", got [" + std::to_string(range->lo) + ", " +
                                      std::to_string(range->hi) + "]"});
                bounds_ok = false;
            }
        }
        if (!s.color.empty()) {
            bool ok = s.color.size() == 7 && s.color[0] == '#';
            for (size_t k = 1; ok && k < 7; k++) ok = is_hex(s.color[k]);
            if (!ok) errors.push_back({path + ".color", "expected \"#rrggbb\", got " + quote(s.color)});
        }
    }
    if (!bounds_ok) return errors; // coverage of out-of-range bounds would only add noise

    // Coverage: every cell exactly once. `owner` is the first segment covering a cell; a later
    // one is reported once per earlier segment it overlaps, with the shared cells.
    const bool uses_m = rfm_uses_m(segments);
    const int SM = uses_m ? S : 1;
    std::vector<int> owner(size_t(S * S * SM), -1);
    for (size_t j = 0; j < segments.size(); j++) {
        const RfmSegment& s = segments[j];
        std::map<int, std::vector<std::string>> overlaps; // earlier segment -> shared cells
        for (int r = s.r.lo; r <= s.r.hi; r++)
            for (int f = s.f.lo; f <= s.f.hi; f++)
                for (int m = 1; m <= SM; m++) {
                    if (uses_m && s.m && !s.m->contains(m)) continue;
                    int& o = owner[size_t(((r - 1) * S + (f - 1)) * SM + (m - 1))];
                    if (o < 0)
                        o = int(j);
                    else
                        overlaps[o].push_back(cell_text(r, f, m, uses_m));
                }
        for (const auto& [i, cells] : overlaps)
            errors.push_back({json_read::index_path("segments", j),
                              "overlaps segments[" + std::to_string(i) + "] " +
                                  quote(segments[size_t(i)].name) + " at " +
                                  (uses_m ? "(R, F, M) " : "(R, F) ") + cells_text(cells) +
                                  ": a cell belongs to exactly one segment"});
    }
    std::vector<std::string> uncovered;
    for (int r = 1; r <= S; r++)
        for (int f = 1; f <= S; f++)
            for (int m = 1; m <= SM; m++)
                if (owner[size_t(((r - 1) * S + (f - 1)) * SM + (m - 1))] < 0)
                    uncovered.push_back(cell_text(r, f, m, uses_m));
    if (!uncovered.empty())
        errors.push_back({"segments", std::string("no segment covers ") +
                                          (uses_m ? "(R, F, M) " : "(R, F) ") + cells_text(uncovered) +
                                          ": every cell belongs to exactly one segment"});
    return errors;
}

std::vector<uint8_t> rfm_cell_segments(const std::vector<RfmSegment>& segments, RfmMethod method) {
    const int S = rfm_max_score(method);
    std::vector<uint8_t> cells(size_t(S * S * S), 0);
    for (size_t j = segments.size(); j-- > 0;) { // the first segment wins, should any overlap
        const RfmSegment& s = segments[j];
        for (int r = std::max(s.r.lo, 1); r <= std::min(s.r.hi, S); r++)
            for (int f = std::max(s.f.lo, 1); f <= std::min(s.f.hi, S); f++)
                for (int m = 1; m <= S; m++)
                    if (!s.m || s.m->contains(m))
                        cells[size_t(((r - 1) * S + (f - 1)) * S + (m - 1))] = uint8_t(j);
    }
    return cells;
}

bool operator==(const RfmScoreRange& a, const RfmScoreRange& b) { return a.lo == b.lo && a.hi == b.hi; }
bool operator==(const RfmThresholds& a, const RfmThresholds& b) {
    return a.r == b.r && a.f == b.f && a.m == b.m;
}
bool operator==(const RfmSegment& a, const RfmSegment& b) {
    return a.name == b.name && a.r == b.r && a.f == b.f && a.m == b.m && a.color == b.color;
}
bool operator==(const Rfm& a, const Rfm& b) {
    return a.segx == b.segx && a.id == b.id && a.name == b.name && a.method == b.method &&
           a.monetary == b.monetary && a.thresholds == b.thresholds && a.segments == b.segments;
}

} // namespace segx
