// segx_eval_model: runs definitions natively over a model serialized elsewhere
// (model_io.h), e.g. by the WASM module over DuckDB-loaded data, so that a test can check both
// builds give the same members.
//
//   segx_eval_model <model file> <definitions.json>
//
// definitions.json: a JSON array of {"definition": <definition JSON>, "as_of_us": <int or null>},
// or {"saved": [<definition JSON>, ...], "runs": [that array]} to resolve reference rules.
// as_of_us null (or missing) means the model's default, as the app's: the latest event.
// Prints a JSON array, one answer per run: run_definition's (core/run/run.h, DESIGN §9), with
// audience members sorted. Evaluation goes through an AudienceCache, as Session::run_json does.
// Exit status 2 for unreadable input.
#include "core/audience/audience_cache.h"
#include "core/model/model_io.h"
#include "core/run/run.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

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

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <model file> <definitions.json>\n", argv[0]);
        return 2;
    }
    try {
        Model model = deserialize_model(read_file(argv[1]));
        json input = json::parse(read_file(argv[2]));
        json runs = input.is_array() ? input : input.at("runs");
        SavedDefinitions saved;
        if (input.is_object() && input.contains("saved")) {
            std::vector<SavedProblem> problems = read_saved_definitions(input.at("saved"), &saved);
            if (!problems.empty())
                throw std::invalid_argument("saved definition refused: " + problems[0].id + ": " +
                                            join_errors(problems[0].errors));
        }
        AudienceCache cache;
        RunOptions options;
        options.members = options.sorted_members = true;
        json out = json::array();
        for (const json& run : runs) {
            // Session::as_of_us: an explicit as-of, else the latest event (none with no events).
            std::optional<int64_t> as_of;
            if (model.events.size()) as_of = model.max_time_us;
            if (run.contains("as_of_us") && !run["as_of_us"].is_null())
                as_of = run["as_of_us"].get<int64_t>();
            const json& def = run.at("definition");
            RunContext ctx{model, as_of, 0, &saved, &cache};
            out.push_back(def.is_string()
                              ? run_definition(ctx, std::string_view(def.get<std::string>()), options)
                              : run_definition(ctx, def, options));
        }
        std::cout << answer_text(out) << '\n';
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "segx_eval_model: %s\n", e.what());
        return 2;
    }
}
