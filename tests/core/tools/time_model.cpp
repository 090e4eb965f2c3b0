// segx_time_model: times definitions natively over a model serialized elsewhere (model_io.h),
// for the benchmark suite (tests/bench/suite.mjs): the same model the page built, evaluated by
// the native build of the same core.
//
//   segx_time_model <model file> <definitions.json> <runs>
//
// definitions.json: a JSON array of definitions, each run `runs` times at the model's default
// as-of (the latest event), with a fresh audience cache each time (cold, as a first run in the
// page). Prints one JSON array: per definition {"kind", "ms": [wall ms per run], "cpu_ms": [this
// thread's CPU ms per run], "answer": the last answer (audience members left out)}. Also the
// deserialisation time and the model's memory figure. Exit status 2 for unreadable input.
#include "core/audience/audience_cache.h"
#include "core/model/model_io.h"
#include "core/run/run.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

using namespace segx;
using nlohmann::json;

namespace {

std::string read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(std::string("cannot open ") + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

double wall_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// The thread's CPU time: other processes holding the core on a busy machine are left out.
double cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s <model file> <definitions.json> <runs>\n", argv[0]);
        return 2;
    }
    try {
        std::string bytes = read_file(argv[1]);
        double t0 = wall_ms();
        Model model = deserialize_model(bytes);
        double load_ms = wall_ms() - t0;
        bytes.clear();
        json defs = json::parse(read_file(argv[2]));
        int runs = std::max(1, std::atoi(argv[3]));
        std::optional<int64_t> as_of;
        if (model.events.size()) as_of = model.max_time_us;
        json out = json::array();
        for (const json& def : defs) {
            json ms = json::array(), cpu = json::array(), answer;
            for (int r = 0; r < runs; r++) {
                AudienceCache cache; // cold every run
                RunContext ctx{model, as_of, 0, nullptr, &cache};
                double w = wall_ms(), c = cpu_ms();
                answer = run_definition(ctx, def, RunOptions{});
                cpu.push_back(cpu_ms() - c);
                ms.push_back(wall_ms() - w);
            }
            out.push_back({{"kind", definition_kind(def)}, {"ms", ms}, {"cpu_ms", cpu}, {"answer", answer}});
        }
        json result = {{"deserialize_ms", load_ms}, {"model_bytes", model.memory_bytes()}, {"runs", out}};
        std::cout << answer_text(result) << '\n';
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "segx_time_model: %s\n", e.what());
        return 2;
    }
}
