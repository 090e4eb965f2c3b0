// The rule-tree walk, as evaluate.cpp's: groups join their rules' expressions with AND / OR,
// leaves go to rule_sql.h, and audience references compile the saved definition once per id
// into a CTE, with the chain of audiences being compiled on a stack, so that a cycle is seen
// the moment an id comes round again and reported as evaluate reports it.

#include "core/sql/audience_sql.h"

#include "core/funnel/json.h"
#include "core/lang/json_text.h"
#include "core/lang/names.h"
#include "core/lang/text.h"
#include "core/model/derived.h"
#include "core/retention/json.h"
#include "core/rfm/json.h"
#include "core/sql/derived_sql.h"
#include "core/sql/funnel_sql.h"
#include "core/sql/lifecycle_sql.h"
#include "core/sql/retention_sql.h"
#include "core/sql/rfm_sql.h"
#include "core/sql/rule_sql.h"
#include "core/sql/sql_text.h"
#include "core/time/civil.h"

#include <map>
#include <set>

namespace segx {

namespace {

using json = nlohmann::json;

constexpr size_t kMaxRefDepth = 64; // as evaluate.cpp

// An error, and whether it is a cycle: cycles keep their message through the references,
// other errors inside a referenced audience get its name prefixed (as evaluate.cpp does).
// A `repeat` marks a rule leading into an audience already found broken in this run: it fails
// the rule without repeating the audience's errors (reported once, at the first route to it), so
// a diamond of references costs each audience once, errors included.
struct Issue {
    DefinitionError error;
    bool cycle = false;
    bool repeat = false;
};

std::string iso_time(int64_t us) {
    std::string t = format_timestamp_us(us);
    size_t space = t.find(' ', 1);
    if (space != std::string::npos) t[space] = 'T';
    return t + "Z";
}

class Compiler {
public:
    explicit Compiler(const EvalContext& ctx) : ctx_(ctx) {}

    SqlResult run(const Audience& audience) {
        std::vector<Issue> issues;
        stack_.push_back(audience.id);
        std::string where = group(audience.root, "root", 1, 2, true, issues);
        stack_.pop_back();
        SqlResult result;
        for (Issue& i : issues)
            if (!i.repeat && result.errors.size() < kMaxErrors) result.errors.push_back(std::move(i.error));
        if (result.ok()) result.sql = statement(audience, where);
        return result;
    }

private:
    std::string statement(const Audience& audience, const std::string& where) const {
        std::string sql = "-- segx audience " + sql_comment_text(audience.name) + " as of " +
                          iso_time(ctx_.as_of_us) + "\n";
        sql +=
            "WITH \"u\" AS (\n"
            "  SELECT *\n"
            "  FROM (\n"
            "    SELECT \"user_id\" FROM \"users\" WHERE \"user_id\" IS NOT NULL\n"
            "    UNION\n"
            "    SELECT \"user_id\" FROM \"events\" WHERE \"user_id\" IS NOT NULL\n"
            "  ) AS \"ids\"\n"
            "  LEFT JOIN \"users\" USING (\"user_id\")\n" +
            derived_joins_sql(ctx_.model, derived_, 2) + ")";
        for (const std::string& cte : ctes_) sql += ",\n" + cte;
        return sql + "\nSELECT \"user_id\"\nFROM \"u\"\nWHERE\n  " + where + "\nORDER BY \"user_id\"";
    }

    // A group as one expression whose continuation lines start at `indent`: "(" rules joined
    // by AND / OR ")" ("NOT (...)" when negated); `bare` (a WHERE clause's top level) leaves
    // out the parentheses when they are not needed. No rules: TRUE for all, FALSE for any.
    std::string group(const Group& g, const std::string& path, int depth, int indent, bool bare,
                      std::vector<Issue>& issues) {
        if (depth > kMaxGroupDepth) {
            issues.push_back(
                {{path, "groups nested deeper than " + std::to_string(kMaxGroupDepth) + " levels"}});
            return "";
        }
        const bool parens = !bare || g.negate;
        const int inner = parens ? indent + 2 : indent;
        std::string body;
        for (size_t i = 0; i < g.rules.size(); i++) {
            size_t before = issues.size();
            std::string r = rule(g.rules[i], child_path(path, "rules", i), depth, inner, issues);
            if (issues.size() != before) continue; // keep walking for more errors
            if (!body.empty()) body += "\n" + sql_pad(inner) + (g.match == Match::All ? "AND " : "OR ");
            body += r;
        }
        if (g.rules.empty()) return (g.match == Match::All) != g.negate ? "TRUE" : "FALSE";
        if (!parens) return body;
        return std::string(g.negate ? "NOT (" : "(") + "\n" + sql_pad(inner) + body + "\n" + sql_pad(indent) +
               ")";
    }

    std::string rule(const Rule& r, const std::string& path, int depth, int indent,
                     std::vector<Issue>& issues) {
        const RuleNode& node = r.node;
        std::vector<DefinitionError> errors;
        std::string sql;
        if (const auto* g = std::get_if<Group>(&node))
            return group(*g, path, depth + 1, indent, false, issues);
        if (const auto* ref = std::get_if<AudienceRefRule>(&node)) return reference(*ref, path, issues);
        if (const auto* p = std::get_if<PropertyRule>(&node)) {
            sql = property_sql(ctx_.model, *p, path, errors);
            if (find_derived(ctx_.model, p->attribute) != nullptr) derived_.push_back(p->attribute);
            sql = "COALESCE(" + sql + ", FALSE)";
        } else if (const auto* b = std::get_if<BehaviorRule>(&node)) {
            sql = behavior_sql(ctx_.model, *b, ctx_.as_of_us, indent, path, errors);
            sql = (b->did ? "" : "NOT ") + ("COALESCE(" + sql + ", FALSE)");
        } else if (const auto* f = std::get_if<FunnelRule>(&node)) {
            sql = funnel(*f, path, errors);
        } else if (const auto* m = std::get_if<RfmRule>(&node)) {
            sql = rfm(*m, path, errors);
        } else if (const auto* l = std::get_if<LifecycleRule>(&node)) {
            sql = lifecycle_rule_sql(*l, ctx_, indent, path, errors);
        } else if (const auto* t = std::get_if<RetentionRule>(&node)) {
            sql = retention(*t, path, errors);
        } else {
            // The app evaluates them (evaluate.h); their SQL has not been written yet.
            errors.push_back({path, std::string(rule_kind_name(node)) + " rules do not compile to SQL yet"});
        }
        for (DefinitionError& e : errors) issues.push_back({std::move(e)});
        return sql;
    }

    // The saved funnel's levels compiled once per id into a CTE (funnel_sql.h); reached k is
    // level >= k, dropped after k is level = k.
    std::string funnel(const FunnelRule& f, const std::string& path, std::vector<DefinitionError>& errors) {
        std::optional<FunnelRuleSource> source;
        if (!check_funnel_rule(f, ctx_, path, errors, &source)) return "";
        std::string cte;
        auto done = funnels_.find(f.funnel);
        if (done != funnels_.end()) {
            cte = done->second;
        } else {
            std::vector<DefinitionError> inner;
            FunnelValidation v = validate_funnel(json::parse(source->definition, nullptr, false));
            SqlResult r;
            if (v.ok()) r = funnel_levels_sql(v.funnel, ctx_);
            for (const DefinitionError& e : v.ok() ? r.errors : v.errors)
                errors.push_back({path, "in funnel " + show_id(f.funnel) + ": " + e.to_string()});
            if (!v.ok() || !r.ok()) return "";
            cte = sql_ident("funnel_" + std::to_string(funnels_.size() + 1));
            ctes_.push_back(cte + " AS (\n" + r.sql + "\n)");
            funnels_.emplace(f.funnel, cte);
        }
        return "COALESCE(\"u\".\"user_id\" IN (SELECT \"user_id\" FROM " + cte + " WHERE \"level\" " +
               (f.dropped_after ? "= " : ">= ") + std::to_string(f.step) + "), FALSE)";
    }

    // One retention cell's users (retention_sql.h retention_cell_sql) as a CTE of their own.
    std::string retention(const RetentionRule& rule, const std::string& path,
                          std::vector<DefinitionError>& errors) {
        const auto at = [&](const std::string& rel) { return rel.empty() ? path : path + "." + rel; };
        RetentionRuleSource source;
        std::vector<DefinitionError> inner;
        RetentionCell cell;
        if (!ctx_.retention) {
            errors.push_back({path, "retention cells are not available here"});
            return "";
        }
        if (ctx_.retention(rule, &source, inner)) {
            RetentionValidation v = validate_retention(json::parse(source.definition, nullptr, false));
            if (v.ok())
                retention_cell_of(v.retention, rule.cohort, rule.period, ctx_.as_of_us, &cell, inner);
            else
                inner = v.errors;
        }
        for (DefinitionError& e : inner) errors.push_back({at(e.path), std::move(e.message)});
        if (!inner.empty()) return "";
        SqlResult r = retention_cell_sql(cell, ctx_);
        for (DefinitionError& e : r.errors)
            errors.push_back({at("retention." + e.path), std::move(e.message)});
        if (!r.ok()) return "";
        const std::string cte = sql_ident("retention_" + std::to_string(++retentions_));
        ctes_.push_back(cte + " AS (\n" + r.sql + "\n)");
        return "COALESCE(\"u\".\"user_id\" IN (SELECT \"user_id\" FROM " + cte + "), FALSE)";
    }

    // The RFM settings' per-customer scores compiled once per settings id into a CTE
    // (rfm_sql.h); segments: the customer's segment is one of the named, ranges: every given
    // score in its range. Non-customers have no row, so they match neither (as evaluate).
    std::string rfm(const RfmRule& rule, const std::string& path, std::vector<DefinitionError>& errors) {
        std::optional<RfmRuleSource> source;
        if (!check_rfm_rule(rule, ctx_, path, errors, &source)) return "";
        std::string cte;
        auto done = rfms_.find(rule.rfm);
        if (done != rfms_.end()) {
            cte = done->second;
        } else {
            RfmValidation v = validate_rfm(json::parse(source->definition, nullptr, false));
            SqlResult r;
            if (v.ok()) r = rfm_to_sql(v.rfm, ctx_);
            const std::string where =
                rule.rfm.empty() ? "the default RFM settings" : "RFM settings " + show_id(rule.rfm);
            for (const DefinitionError& e : v.ok() ? r.errors : v.errors)
                errors.push_back({path, "in " + where + ": " + e.to_string()});
            if (!v.ok() || !r.ok()) return "";
            cte = sql_ident("rfm_" + std::to_string(rfms_.size() + 1));
            ctes_.push_back(cte + " AS (\n" + r.sql + "\n)");
            rfms_.emplace(rule.rfm, cte);
        }
        std::string where;
        if (!rule.segments.empty()) {
            for (const std::string& name : rule.segments) {
                if (!sql_text_ok(name)) {
                    errors.push_back({path, "a segment name in SQL must be valid UTF-8 without NUL bytes"});
                    return "";
                }
                where += (where.empty() ? "" : ", ") + sql_string(name);
            }
            where = "\"segment\" IN (" + where + ")";
        } else {
            const std::pair<const char*, const std::optional<ScoreRange>*> ranges[] = {
                {"r", &rule.r}, {"f", &rule.f}, {"m", &rule.m}};
            for (const auto& [name, range] : ranges)
                if (*range)
                    where += (where.empty() ? "" : " AND ") + sql_ident(name) + " BETWEEN " +
                             std::to_string((*range)->lo) + " AND " + std::to_string((*range)->hi);
            if (where.empty()) where = "TRUE";
        }
        return "COALESCE(\"u\".\"user_id\" IN (SELECT \"user_id\" FROM " + cte + " WHERE " + where +
               "), FALSE)";
    }

    std::string reference(const AudienceRefRule& ref, const std::string& path, std::vector<Issue>& issues) {
        for (size_t i = 0; i < stack_.size(); i++) {
            if (stack_[i] != ref.id || ref.id.empty()) continue;
            issues.push_back({{path, cycle_message(stack_, i, ref.id)}, true});
            return "";
        }
        std::string cte;
        if (failed_.count(ref.id)) {
            issues.push_back({{path, ""}, false, true});
            return "";
        }
        auto done = done_.find(ref.id);
        if (done != done_.end()) {
            cte = done->second;
        } else {
            const Audience* saved = ref.id.empty() || !ctx_.saved ? nullptr : ctx_.saved(ref.id);
            if (saved == nullptr) {
                issues.push_back({{child_path(path, "id"), "unknown audience " + quote(ref.id)}});
                return "";
            }
            if (stack_.size() >= kMaxRefDepth) {
                issues.push_back({{path, "audience references nested deeper than " +
                                             std::to_string(kMaxRefDepth) + " levels"}});
                return "";
            }
            std::vector<Issue> inner;
            stack_.push_back(ref.id);
            std::string where = group(saved->root, "root", 1, 4, true, inner);
            stack_.pop_back();
            if (!inner.empty()) {
                // Reported here, at the rule that leads into the broken audience, once per run.
                failed_.insert(ref.id);
                bool reported = false;
                for (Issue& e : inner) {
                    if (e.repeat) continue;
                    reported = true;
                    issues.push_back(
                        {{path, e.cycle ? e.error.message
                                        : "in audience " + show_id(ref.id) + ": " + e.error.to_string()},
                         e.cycle});
                }
                if (!reported) issues.push_back({{path, ""}, false, true});
                return "";
            }
            cte = sql_ident("ref_" + std::to_string(ctes_.size() + 1));
            ctes_.push_back(cte + " AS (\n  -- audience " + sql_comment_text(ref.id) +
                            "\n  SELECT \"user_id\"\n" + "  FROM \"u\"\n  WHERE\n    " + where + "\n)");
            done_.emplace(ref.id, cte);
        }
        return std::string(ref.in ? "" : "NOT ") + "COALESCE(\"u\".\"user_id\" IN (SELECT \"user_id\" FROM " +
               cte + "), FALSE)";
    }

    const EvalContext& ctx_;
    std::vector<std::string> stack_;             // ids of the audiences being compiled, outermost first
    std::map<std::string, std::string> done_;    // referenced audience id -> its CTE's name
    std::set<std::string> failed_;               // referenced audiences found broken (said once)
    std::map<std::string, std::string> funnels_; // funnel id -> its levels CTE's name
    std::map<std::string, std::string> rfms_;    // RFM settings id ("" default) -> its scores CTE's name
    int retentions_ = 0;                         // retention cell CTEs so far
    std::vector<std::string> ctes_;              // in dependency order: each after those it reads
    std::vector<std::string> derived_;           // attributes from events that rules name (derived_sql.h)
};

} // namespace

SqlResult audience_to_sql(const Audience& audience, const EvalContext& ctx) {
    return Compiler(ctx).run(audience);
}

} // namespace segx
