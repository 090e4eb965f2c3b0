// Session::audience_sql_json: a definition of any kind (JSON text) compiled to DuckDB SQL over
// the session's model (core/run/definition_sql.h), for the "Copy SQL" button and window.segx.
#include "app/session.h"

#include "core/run/definition_sql.h"

namespace segx {

std::string Session::audience_sql_json(std::string_view definition) {
    rebuild_model_if_dirty();
    return answer_text(definition_sql(
        RunContext{model, as_of_us(), model_generation, &workspace.saved, nullptr}, definition));
}

} // namespace segx
