#pragma once
// RFM settings as JSON (DESIGN §5), versioned with "segx": 1. README.md is the reference:
//
//   {"segx": 1, "kind": "rfm", "id": "r1", "name": "RFM",
//    "method": "quantile" | "thresholds" | "mean",                  (default quantile)
//    "monetary": "total" | "mean_order",                            (default total)
//    "thresholds": {"r": [7, 30, 90, 180], "f": [1, 2, 4, 8], "m": [50, 100, 250, 1000]},
//                  (each list optional: four strictly ascending numbers; defaults as shown)
//    "segments": [{"name": "Champions", "r": [5, 5], "f": [4, 5], "m": [1, 5], "color": "#rrggbb"}]}
//                  (default: the R×F grid, or the 8-class template for "mean"; m and color optional)
//
// Segments must cover every score cell exactly once: every (R, F) cell, or every (R, F, M) cell
// when any segment has "m"; scores run 1-5 (1-2 for "mean"). to_json writes every field (a
// segment's m and color only when set), so that from_json(to_json(x)) == x exactly. Reading is
// strict: unknown keys, missing or mistyped fields, out-of-range numbers, uncovered or doubly
// covered cells are errors, each with its JSON path, all reported at once.

#include "core/lang/error.h"
#include "core/rfm/definition.h"

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

namespace segx {

struct RfmValidation {
    std::vector<DefinitionError> errors; // at most kMaxErrors (+1 summary)
    Rfm rfm;                             // meaningful only when ok()

    bool ok() const { return errors.empty(); }
};

// Never throws. A "segx" other than 1 (or missing) is the only error reported.
RfmValidation validate_rfm(const nlohmann::json& document);
// Parses untrusted text (lang/json_text.h) first; parse problems come first.
RfmValidation parse_rfm(std::string_view text);

void to_json(nlohmann::json& out, const Rfm& rfm);
// Throws std::invalid_argument listing every problem (join_errors) when invalid.
void from_json(const nlohmann::json& in, Rfm& rfm);

} // namespace segx
