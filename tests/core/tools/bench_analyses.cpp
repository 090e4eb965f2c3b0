// segx_bench_analyses: times RFM, retention, lifecycle, the board and funnels natively over a model
// written by tests/bench/export_model.mjs (the model the page builds), run by hand:
//
//   cmake --build build/native --target segx_bench_analyses
//   build/native/tests/core/segx_bench_analyses build/bench-data/u1000000-e10000000-s42/model.bin [kind
//   [text]]
//
// Times are this thread's CPU time, best of 10 (the machine may be busy). Each definition runs
// through run_definition as segx.run does, with the user ids' order kept (as the session keeps
// it) but no RFM cache (from scratch); then RFM through one cache as the RFM tab edits it: the
// first run (customers, M, scores), new quantile scores (mean order), new thresholds, a threshold
// edit and a grid edit. The browser figures beside DuckDB-wasm are tests/bench/suite.mjs's.
#include "core/model/model_io.h"
#include "core/rfm/engine.h"
#include "core/run/run.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

using namespace segx;

namespace {

double cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

template <typename F>
double best_of(int runs, F&& f) {
    double best = 1e300;
    for (int i = 0; i < runs; i++) {
        const double t = cpu_ms();
        f(i);
        best = std::min(best, cpu_ms() - t);
    }
    return best;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2 || argc > 4) {
        std::fprintf(stderr,
                     "usage: %s <model file> [kind: only that analysis, run 100 times, for a profiler] "
                     "[text: only definitions containing it]\n",
                     argv[0]);
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const Model m = deserialize_model(bytes.str());
    const std::vector<uint32_t> by_id = users_by_id_text(m);
    const int64_t as_of = m.max_time_us;
    std::printf("model: %zu users, %zu events\n", m.users.size(), m.events.size());
    const char* defs[] = {
        R"({"segx": 1, "kind": "rfm"})",
        R"({"segx": 1, "kind": "rfm", "method": "thresholds"})",
        R"({"segx": 1, "kind": "retention", "period": "week", "start": {"event": "page_view"}, "return": {"any": true}, "mode": "exact", "periods": 12})",
        R"({"segx": 1, "kind": "lifecycle", "period": "week", "periods": 12})",
        R"({"segx": 1, "kind": "board", "period": {"last_days": 30}, "dormant_days": 90})",
        // The benchmark suite's funnels: ordered, strict, unordered, then edits of the window and
        // of one step (tests/bench/suite.mjs).
        R"({"segx": 1, "kind": "funnel", "steps": [{"event": "view_item"}, {"event": "add_to_cart"}, {"event": "begin_checkout"}, {"event": "purchase"}], "window": {"days": 7}})",
        R"({"segx": 1, "kind": "funnel", "steps": [{"event": "view_item"}, {"event": "add_to_cart"}, {"event": "begin_checkout"}, {"event": "purchase"}], "window": {"days": 7}, "order": "strict"})",
        R"({"segx": 1, "kind": "funnel", "steps": [{"event": "view_item"}, {"event": "add_to_cart"}, {"event": "begin_checkout"}, {"event": "purchase"}], "window": {"days": 7}, "order": "unordered"})",
        R"({"segx": 1, "kind": "funnel", "steps": [{"event": "view_item"}, {"event": "add_to_cart"}, {"event": "begin_checkout"}, {"event": "purchase"}], "window": {"days": 3}})",
        R"({"segx": 1, "kind": "funnel", "steps": [{"event": "view_item"}, {"event": "search"}, {"event": "begin_checkout"}, {"event": "purchase"}], "window": {"days": 7}})",
    };
    const std::string only = argc >= 3 ? argv[2] : "";
    const std::string text = argc == 4 ? argv[3] : "";
    for (const char* def : defs) {
        const nlohmann::json doc = nlohmann::json::parse(def);
        if (!only.empty() && definition_kind(doc) != only) continue;
        if (std::string(def).find(text) == std::string::npos) continue;
        const auto once = [&](int) {
            const RunContext ctx{m, as_of, 1, nullptr, nullptr, &by_id};
            (void)run_definition(ctx, doc, RunOptions{});
        };
        const double first = best_of(1, once); // lazily built parts of the index included
        const double ms = best_of(only.empty() ? 10 : 100, once);
        std::printf("%-10s %7.2f ms (first %7.2f ms)  %s\n", definition_kind(doc).c_str(), ms, first, def);
    }
    if (!only.empty()) return 0;
    // RFM through one cache, as the tab's edits go.
    double cold = 1e300, quantile = 1e300, thresholds = 1e300, threshold_edit = 1e300, grid_edit = 1e300;
    for (int rep = 0; rep < 10; rep++) {
        RfmCache cache;
        const RfmContext ctx{m, as_of, &by_id, &cache, 1};
        Rfm rfm;
        cold = std::min(cold, best_of(1, [&](int) { (void)rfm_tables(rfm, ctx); }));
        rfm.monetary = RfmMonetary::MeanOrder;
        quantile = std::min(quantile, best_of(1, [&](int) { (void)rfm_tables(rfm, ctx); }));
        rfm.method = RfmMethod::Thresholds;
        thresholds = std::min(thresholds, best_of(1, [&](int) { (void)rfm_tables(rfm, ctx); }));
        rfm.thresholds.r[0] = 8;
        threshold_edit = std::min(threshold_edit, best_of(1, [&](int) { (void)rfm_tables(rfm, ctx); }));
        rfm.segments[0].name = "Champions 2";
        grid_edit = std::min(grid_edit, best_of(1, [&](int) { (void)rfm_tables(rfm, ctx); }));
    }
    std::printf(
        "RFM with its cache: first run %.2f ms, new quantile scores %.2f ms, new thresholds %.2f ms, "
        "threshold edit %.2f ms, grid edit %.2f ms\n",
        cold, quantile, thresholds, threshold_edit, grid_edit);
    return 0;
}
