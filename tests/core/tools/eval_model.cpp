// segx_eval_model: evaluates audience definitions natively over a model serialized elsewhere
// (model_io.h), e.g. by the WASM module over DuckDB-loaded data, so that a test can check both
// builds give the same members.
//
//   segx_eval_model <model file> <definitions.json>
//
// definitions.json: a JSON array of {"definition": <audience JSON>, "as_of_us": <int or null>},
// or {"saved": [<audience JSON>, ...], "runs": [that array]} to resolve `audience` rules.
// as_of_us null (or missing) means the model's default, as the app's: the latest event.
// Prints a JSON array, one entry per run: {"ok": true, "size": n, "members": [sorted user ids]}
// or {"ok": false, "errors": [{"path", "message"}]}. Evaluation goes through AudienceCache, as
// Session::run_json does. Exit status 2 for unreadable input.
#include "core/audience/audience_cache.h"
#include "core/audience/json.h"
#include "core/model/model_io.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
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

json errors_json(const std::vector<DefinitionError>& errors) {
    json list = json::array();
    for (const DefinitionError& e : errors) list.push_back({{"path", e.path}, {"message", e.message}});
    return list;
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
        std::vector<Audience> saved;
        if (input.is_object() && input.contains("saved")) {
            for (const json& item : input.at("saved")) {
                ValidationResult r = parse_audience(item.dump());
                if (!r.ok())
                    throw std::invalid_argument("saved audience refused: " + item.dump().substr(0, 80));
                saved.push_back(std::move(r.audience));
            }
        }
        AudienceCache cache;
        json out = json::array();
        for (const json& run : runs) {
            const json& def = run.at("definition");
            ValidationResult parsed = parse_audience(def.is_string() ? def.get<std::string>() : def.dump());
            if (!parsed.ok()) {
                out.push_back({{"ok", false}, {"errors", errors_json(parsed.errors)}});
                continue;
            }
            // Session::as_of_us: an explicit as-of, else the latest event (0 with no events).
            int64_t as_of = model.events.size() ? model.max_time_us : 0;
            if (run.contains("as_of_us") && !run["as_of_us"].is_null())
                as_of = run["as_of_us"].get<int64_t>();
            EvalContext ctx{model, as_of, 0, [&saved](std::string_view id) -> const Audience* {
                                for (const Audience& a : saved)
                                    if (a.id == id) return &a;
                                return nullptr;
                            }};
            EvalResult r = cache.evaluate(parsed.audience, ctx);
            if (!r.ok()) {
                out.push_back({{"ok", false}, {"errors", errors_json(r.errors)}});
                continue;
            }
            std::vector<std::string> members;
            for (size_t u = 0; u < r.users.size; ++u)
                if (r.users.get(u)) members.emplace_back(model.users.id(uint32_t(u)));
            std::sort(members.begin(), members.end());
            out.push_back({{"ok", true}, {"size", members.size()}, {"members", members}});
        }
        std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "segx_eval_model: %s\n", e.what());
        return 2;
    }
}
