// Session::audience_sql_json: a definition (JSON text) compiled to DuckDB SQL over the
// session's model (core/sql/audience_sql.h), for the "Copy SQL" button and window.segx.
#include "app/session.h"

#include "core/audience/json.h"
#include "core/sql/audience_sql.h"

#include <nlohmann/json.hpp>

namespace segx {

std::string Session::audience_sql_json(std::string_view definition) {
    using nlohmann::json;
    rebuild_model_if_dirty();
    const auto failed = [](const std::vector<DefinitionError>& errors) {
        json list = json::array();
        for (const DefinitionError& e : errors) list.push_back({{"path", e.path}, {"message", e.message}});
        return json{{"ok", false}, {"errors", std::move(list)}}.dump(-1, ' ', false,
                                                                     json::error_handler_t::replace);
    };
    ValidationResult parsed = parse_audience(definition);
    if (!parsed.ok()) return failed(parsed.errors);
    SqlResult r = audience_to_sql(parsed.audience, eval_context());
    if (!r.ok()) return failed(r.errors);
    return json{{"ok", true}, {"sql", r.sql}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace segx
