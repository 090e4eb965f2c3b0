// core/rfm JSON (DESIGN §5): defaults, the two templates, exact round trips, strict reading with
// paths, and the coverage rule (every cell in exactly one segment).
#include "rfm_fixture.h"

#include <nlohmann/json.hpp>

namespace core_rfm_json_test {

using namespace segx;
using namespace segx::test;
using nlohmann::json;

namespace {

// "path: message" lines of the problems of `text`.
std::string problems(const std::string& text) {
    RfmValidation v = parse_rfm(text);
    CHECK_FALSE(v.ok());
    return join_errors(v.errors);
}

std::string with(const std::string& rest) { return R"({"segx": 1, "kind": "rfm", )" + rest + "}"; }

} // namespace

TEST_CASE("every key but segx and kind is optional: quantile, total, §5 thresholds, the R×F grid") {
    Rfm r = rfm_of(R"({"segx": 1, "kind": "rfm"})");
    CHECK(r.method == RfmMethod::Quantile);
    CHECK(r.monetary == RfmMonetary::Total);
    CHECK(r.thresholds.r == std::array<double, 4>{7, 30, 90, 180});
    CHECK(r.thresholds.f == std::array<double, 4>{1, 2, 4, 8});
    CHECK(r.thresholds.m == std::array<double, 4>{50, 100, 250, 1000});
    REQUIRE(r.segments.size() == 10);
    CHECK(r.segments[0] == RfmSegment{"Champions", {5, 5}, {4, 5}, std::nullopt, ""});
    CHECK(r.segments[8].name == "Can't Lose Them");
    CHECK(r.segments[9] == RfmSegment{"Hibernating", {1, 2}, {1, 2}, std::nullopt, ""});
    CHECK(r == Rfm());
    CHECK(check_rfm_segments(r.segments, r.method).empty());
}

TEST_CASE("with the mean method the default is the 8-class template, in §5's order") {
    Rfm r = rfm_of(with(R"("method": "mean")"));
    const char* names[] = {"重要价值客户", "重要发展客户", "重要保持客户", "重要挽留客户",
                           "一般价值客户", "一般发展客户", "一般保持客户", "一般挽留客户"};
    const int rfm[8][3] = {{2, 2, 2}, {2, 1, 2}, {1, 2, 2}, {1, 1, 2},
                           {2, 2, 1}, {2, 1, 1}, {1, 2, 1}, {1, 1, 1}};
    REQUIRE(r.segments.size() == 8);
    for (size_t i = 0; i < 8; i++) {
        CHECK(r.segments[i].name == names[i]);
        CHECK(r.segments[i].r == RfmScoreRange{rfm[i][0], rfm[i][0]});
        CHECK(r.segments[i].f == RfmScoreRange{rfm[i][1], rfm[i][1]});
        CHECK(r.segments[i].m == RfmScoreRange{rfm[i][2], rfm[i][2]});
    }
}

TEST_CASE("to_json writes every field and reads back exactly") {
    const char* texts[] = {
        R"({"segx": 1, "kind": "rfm"})",
        R"({"segx": 1, "kind": "rfm", "method": "mean", "monetary": "mean_order", "id": "r1", "name": "会员"})",
        R"({"segx": 1, "kind": "rfm", "method": "thresholds",
            "thresholds": {"r": [0.5, 1, 2.25, 1e6], "m": [-10, 0, 0.1, 3]},
            "segments": [{"name": "A", "r": [1, 5], "f": [1, 4], "color": "#A0b1C2"},
                         {"name": "B", "r": [1, 5], "f": [5, 5], "m": [1, 2]},
                         {"name": "C", "r": [1, 5], "f": [5, 5], "m": [3, 5]}]})",
    };
    for (const char* text : texts) {
        Rfm r = rfm_of(text);
        json out = r;
        Rfm back = out.get<Rfm>();
        CHECK(back == r);
        CHECK(json(back) == out);
        for (const char* key : {"segx", "kind", "id", "name", "method", "monetary", "thresholds", "segments"})
            CHECK(out.contains(key));
    }
    json out = rfm_of(texts[2]);
    CHECK(out["thresholds"]["r"] == json::parse("[0.5, 1, 2.25, 1000000]"));
    CHECK(out["thresholds"]["f"] == json::parse("[1, 2, 4, 8]"));
    CHECK(out["segments"][0] ==
          json::parse(R"({"name": "A", "r": [1, 5], "f": [1, 4], "color": "#A0b1C2"})"));
    CHECK(out["segments"][1]["m"] == json::parse("[1, 2]"));
}

TEST_CASE("strict reading: unknown keys, wrong types and names, each at its path") {
    CHECK(problems(R"({"kind": "rfm"})") == "segx: missing: a segx RFM definition starts with \"segx\": 1");
    CHECK(problems(R"({"segx": 2, "kind": "rfm"})") ==
          "segx: unsupported version 2: this build reads version 1");
    CHECK(problems(R"({"segx": 1, "kind": "funnel"})") == "kind: expected \"rfm\", got \"funnel\"");
    CHECK(problems(with(R"("methd": "mean")")).find("methd") != std::string::npos);
    CHECK(problems(with(R"("method": "median")")) ==
          "method: unknown method \"median\" (expected quantile, thresholds or mean)");
    CHECK(problems(with(R"("monetary": "avg")")) ==
          "monetary: unknown monetary \"avg\" (expected total or mean_order)");
    CHECK(problems(with(R"("thresholds": {"r": [1, 2, 3]})")) ==
          "thresholds.r: expected four ascending numbers, got 3 items");
    CHECK(problems(with(R"("thresholds": {"f": [1, "2", 3, 4]})")) ==
          "thresholds.f[1]: expected a number, got a string");
    CHECK(problems(with(R"("thresholds": {"m": [1, 2, 2, 4]})")) ==
          "thresholds.m[2]: cut points must be strictly ascending (this one is not above the one before it)");
    CHECK(problems(with(R"("thresholds": {"x": [1, 2, 3, 4]})")).rfind("thresholds", 0) == 0);
    CHECK(problems(with(R"("segments": {})")) == "segments: expected an array, got an object");
    CHECK(problems(with(R"("segments": [{"name": "A", "r": [1, 5]}])")) ==
          "segments[0].f: missing (expected [lo, hi] with 1 <= lo <= hi <= 5)");
    CHECK(problems(with(R"("segments": [{"name": "A", "r": [1, 6], "f": [1, 5]}])")) ==
          "segments[0].r[1]: expected a whole number (a score) from 1 to 5, got 6");
    CHECK(problems(with(R"("segments": [{"name": "A", "r": [3, 1], "f": [1, 5]}])")) ==
          "segments[0].r: expected [lo, hi] with 1 <= lo <= hi <= 5, got [3, 1]");
    CHECK(problems(with(R"("method": "mean", "segments": [{"name": "A", "r": [1, 5], "f": [1, 2]}])")) ==
          "segments[0].r[1]: expected a whole number (a score) from 1 to 2, got 5");
    CHECK(problems(with(R"("segments": [{"name": "A", "r": [1, 5], "f": [1, 5], "colour": "red"}])"))
              .find("segments[0]") != std::string::npos);
    CHECK(problems(with(R"("segments": [{"name": "A", "r": [1, 5], "f": [1, 5], "color": "red"}])")) ==
          "segments[0].color: expected \"#rrggbb\", got \"red\"");
    CHECK(problems(with(R"("segments": [{"name": "", "r": [1, 5], "f": [1, 5]}])")) ==
          "segments[0].name: must not be empty (audiences name segments)");
    CHECK(problems(with(R"("id": 3, "segments": 1)")) ==
          "id: expected a string, got a number\nsegments: expected an array, got a number");
    CHECK(problems(R"({"segx": 1, "kind": "rfm", "kind": "rfm"})").find("duplicate key") !=
          std::string::npos);
    CHECK(problems("[1]") == "$: expected an object, got an array");
}

TEST_CASE("coverage: uncovered and doubly covered cells are named, with the segments' paths") {
    // The grid without Hibernating: four cells uncovered.
    Rfm grid;
    grid.segments.pop_back();
    json doc = grid;
    RfmValidation v = validate_rfm(doc);
    REQUIRE_FALSE(v.ok());
    CHECK(join_errors(v.errors) ==
          "segments: no segment covers (R, F) (1, 1), (1, 2), (2, 1), (2, 2): every cell "
          "belongs to exactly one segment");
    // Two overlaps and a duplicate name.
    CHECK(
        problems(with(R"("segments": [{"name": "All", "r": [1, 5], "f": [1, 5]},
                                         {"name": "Top", "r": [5, 5], "f": [4, 5]},
                                         {"name": "All", "r": [1, 1], "f": [1, 1]}])")) ==
        "segments[2].name: duplicate segment name \"All\" (also segments[0])\n"
        "segments[1]: overlaps segments[0] \"All\" at (R, F) (5, 4), (5, 5): a cell belongs to exactly one "
        "segment\n"
        "segments[2]: overlaps segments[0] \"All\" at (R, F) (1, 1): a cell belongs to exactly one segment");
    // An M bound makes the cells (R, F, M): a segment without m then spans every M.
    CHECK(problems(with(R"("segments": [{"name": "Rest", "r": [1, 4], "f": [1, 5]},
                                         {"name": "Top", "r": [5, 5], "f": [1, 5], "m": [2, 5]}])")) ==
          "segments: no segment covers (R, F, M) (5, 1, 1), (5, 2, 1), (5, 3, 1), (5, 4, 1), (5, 5, 1): "
          "every cell "
          "belongs to exactly one segment");
    Rfm ok = rfm_of(with(R"("segments": [{"name": "Rest", "r": [1, 4], "f": [1, 5]},
                                         {"name": "Top", "r": [5, 5], "f": [1, 5], "m": [2, 5]},
                                         {"name": "Low", "r": [5, 5], "f": [1, 5], "m": [1, 1]}])"));
    CHECK(rfm_uses_m(ok.segments));
    // No segments at all: 25 cells, 20 written out.
    std::string none = problems(with(R"("segments": [])"));
    CHECK(none.find("(4, 5) and 5 more") != std::string::npos);
    // The mean method's 2 × 2 × 2 cells.
    CHECK(problems(with(
              R"("method": "mean", "segments": [{"name": "A", "r": [1, 2], "f": [1, 2], "m": [2, 2]}])")) ==
          "segments: no segment covers (R, F, M) (1, 1, 1), (1, 2, 1), (2, 1, 1), (2, 2, 1): every cell "
          "belongs to "
          "exactly one segment");
    // The R×F grid is refused for the mean method (scores 1-2).
    CHECK(problems(with(R"("method": "mean", "segments": [{"name": "A", "r": [3, 5], "f": [1, 2]}])"))
              .rfind("segments[0].r[0]", 0) == 0);
}

TEST_CASE("rfm_cell_segments maps every cell to its one segment") {
    Rfm r;
    const std::vector<uint8_t> cells = rfm_cell_segments(r.segments, r.method);
    auto at = [&](int rr, int f, int m) {
        return r.segments[cells[size_t(((rr - 1) * 5 + (f - 1)) * 5 + (m - 1))]].name;
    };
    CHECK(at(5, 5, 1) == "Champions");
    CHECK(at(5, 1, 3) == "New Customers");
    CHECK(at(4, 1, 5) == "Promising");
    CHECK(at(3, 2, 2) == "About To Sleep");
    CHECK(at(2, 4, 1) == "At Risk");
    CHECK(at(1, 5, 1) == "Can't Lose Them");
    CHECK(at(3, 5, 1) == "Loyal Customers");
    CHECK(at(4, 3, 1) == "Potential Loyalists");
}

} // namespace core_rfm_json_test
