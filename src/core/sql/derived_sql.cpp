#include "core/sql/derived_sql.h"

#include "core/model/derived.h"
#include "core/sql/sql_text.h"

namespace segx {

namespace {

std::string per_user_sql(const DerivedSpec& s, const std::string& as) {
    const std::string p = sql_ident(s.property);
    std::string where = "\"user_id\" IS NOT NULL AND " + p + " IS NOT NULL";
    if (!s.event.empty()) where += " AND \"event\" = " + sql_string(s.event);
    if (s.pick == DerivedPick::MostFrequent)
        return "SELECT \"user_id\", first(\"v\" ORDER BY \"n\" DESC, \"v\") AS " + as +
               " FROM (SELECT \"user_id\", " + p + " AS \"v\", count(*) AS \"n\" FROM \"events\" WHERE " +
               where + " GROUP BY \"user_id\", " + p + ") GROUP BY \"user_id\"";
    const char* order = s.pick == DerivedPick::Latest ? "\"time\" DESC, \"seq\" DESC" : "\"time\", \"seq\"";
    return "SELECT \"user_id\", first(" + p + " ORDER BY " + order + ") AS " + as +
           " FROM \"events\" WHERE " + where + " GROUP BY \"user_id\"";
}

} // namespace

std::string derived_joins_sql(const Model& model, const std::vector<std::string>& names, int indent) {
    std::string out;
    std::vector<std::string> done;
    for (const std::string& name : names) {
        const DerivedSpec* s = find_derived(model, name);
        if (s == nullptr) continue;
        bool seen = false;
        for (const std::string& d : done) seen = seen || d == name;
        if (seen) continue;
        done.push_back(name);
        out += sql_pad(indent) + "LEFT JOIN (" + per_user_sql(*s, sql_ident(name)) + ") AS \"d_" +
               std::to_string(done.size()) + "\" USING (\"user_id\")\n";
    }
    return out;
}

std::string users_from_sql(const Model& model, const std::vector<std::string>& names) {
    const std::string joins = derived_joins_sql(model, names, 2);
    if (joins.empty()) return "\"users\"";
    return "(\n"
           "  SELECT *\n"
           "  FROM (\n"
           "    SELECT \"user_id\" FROM \"users\" WHERE \"user_id\" IS NOT NULL\n"
           "    UNION\n"
           "    SELECT \"user_id\" FROM \"events\" WHERE \"user_id\" IS NOT NULL\n"
           "  ) AS \"ids\"\n"
           "  LEFT JOIN \"users\" USING (\"user_id\")\n" +
           joins + ")";
}

} // namespace segx
