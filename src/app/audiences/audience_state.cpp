#include "app/audiences/audience_state.h"

#include "app/session.h"
#include "core/audience/json.h"
#include "core/audience/members_csv.h"
#include "core/audience/overlap.h"
#include "core/sql/audience_sql.h"

#include <nlohmann/json.hpp>

#include <chrono>

namespace segx {

static std::string canonical(const Audience& a) {
    nlohmann::json j;
    to_json(j, a);
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Every leaf of the draft was just evaluated through the cache: its users are there to count.
static void collect_rule_sizes(Session& session, const Group& group, const std::string& path,
                               int64_t as_of_us) {
    for (size_t i = 0; i < group.rules.size(); ++i) {
        const Rule& rule = group.rules[i];
        std::string rule_path = path + ".rules[" + std::to_string(i) + "]";
        if (const auto* g = std::get_if<Group>(&rule.node)) {
            collect_rule_sizes(session, *g, rule_path, as_of_us); // depth is bounded by kMaxGroupDepth
        } else if (std::holds_alternative<PropertyRule>(rule.node) ||
                   std::holds_alternative<BehaviorRule>(rule.node)) {
            if (const Bitmap* users =
                    session.audience_cache.peek(leaf_cache_key(rule, as_of_us), session.model_generation))
                session.audience.rule_sizes[rule_path] = users->count_set();
        }
    }
}

void refresh_audience(Session& session) {
    session.rebuild_model_if_dirty();
    AudienceState& st = session.audience;
    auto as_of = session.as_of_us();
    // Saved audiences matter through `audience` rules: the workspace's revision covers them.
    std::string key = canonical(st.draft) + '\x1f' + std::to_string(session.model_generation) + '\x1f' +
                      std::to_string(as_of ? *as_of : INT64_MIN) + '\x1f' +
                      std::to_string(session.workspace.revision);
    if (st.evaluated && key == st.evaluated_key) return;
    st.evaluated_key = std::move(key);
    st.evaluated = true;
    st.users = session.model.users.size();
    // Validate as if read from JSON, so the builder reports what an import would.
    nlohmann::json doc;
    to_json(doc, st.draft);
    ValidationResult v = validate_audience(doc);
    if (!v.ok()) {
        st.errors = std::move(v.errors);
        st.members = Bitmap();
        st.size = 0;
        return;
    }
    auto t0 = std::chrono::steady_clock::now();
    EvalResult r = session.audience_cache.evaluate(st.draft, session.eval_context());
    st.eval_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    st.errors = std::move(r.errors);
    st.members = std::move(r.users);
    st.size = st.errors.empty() ? st.members.count_set() : 0;
    st.rule_sizes.clear();
    if (st.errors.empty()) collect_rule_sizes(session, st.draft.root, "root", as_of ? *as_of : 0);
}

void refresh_insight(Session& session) {
    AudienceState& st = session.audience;
    if (st.insight_key == st.evaluated_key) return;
    st.insight_key = st.evaluated_key;
    InsightOptions options;
    if (auto as_of = session.as_of_us()) options.as_of_us = *as_of;
    st.insight = compute_insight(session.model, st.members, options);
}

void refresh_overlap(Session& session) {
    AudienceState& st = session.audience;
    auto as_of = session.as_of_us();
    std::string saved_key = std::to_string(session.workspace.revision) + '\x1f' +
                            std::to_string(session.model_generation) + '\x1f' +
                            std::to_string(as_of ? *as_of : INT64_MIN);
    if (st.saved_sets_key != saved_key) {
        st.saved_sets_key = saved_key;
        st.saved_set_names.clear(), st.saved_sets.clear(), st.saved_set_problems.clear();
        EvalContext ctx = session.eval_context();
        for (const Audience& a : session.workspace.saved.audiences) {
            EvalResult r = session.audience_cache.evaluate(a, ctx);
            if (!r.ok()) {
                st.saved_set_problems.push_back(a.name + ": " + r.errors.front().to_string());
                continue;
            }
            st.saved_set_names.push_back(a.name);
            st.saved_sets.push_back(std::move(r.users));
        }
        st.overlap_key.clear();
    }
    bool unsaved = st.opened_id.empty() && st.errors.empty();
    std::string key = st.evaluated_key + (unsaved ? "+draft" : "");
    if (st.overlap_key == key) return;
    st.overlap_key = std::move(key);
    AudienceState::Overlap o;
    o.names = st.saved_set_names;
    o.problems = st.saved_set_problems;
    std::vector<const Bitmap*> sets;
    for (const Bitmap& b : st.saved_sets) sets.push_back(&b);
    if (unsaved) {
        o.names.push_back(st.draft.name + " (unsaved)");
        sets.push_back(&st.members);
    }
    o.counts = overlap_matrix(sets);
    st.overlap = std::move(o);
}

std::string members_csv_text(const Session& session, const std::vector<std::string>& attributes) {
    if (!session.audience.errors.empty() || !session.audience.evaluated) return "";
    return members_csv(session.model, session.audience.members, attributes);
}

bool audience_sql_text(Session& session, std::string* sql, std::string* problem) {
    session.rebuild_model_if_dirty();
    SqlResult r = audience_to_sql(session.audience.draft, session.eval_context());
    if (!r.ok()) {
        *problem = r.errors.front().to_string();
        return false;
    }
    *sql = std::move(r.sql);
    return true;
}

std::string unused_audience_id(const Session& session) {
    return unused_definition_id(session.workspace, "audience");
}

// The page stores the workspace when its revision moves (web/workspace.js).
static void changed(Session& session) { ++session.workspace.revision; }

bool save_draft(Session& session, bool as_new) {
    AudienceState& st = session.audience;
    if (st.draft.name.empty()) st.draft.name = "Untitled audience";
    nlohmann::json doc;
    to_json(doc, st.draft);
    ValidationResult v = validate_audience(doc);
    if (!v.ok()) {
        session.post(Level::Error, "Not saved: " + v.errors.front().to_string());
        return false;
    }
    Audience* existing = nullptr;
    if (!as_new && !st.opened_id.empty())
        for (Audience& a : session.workspace.saved.audiences)
            if (a.id == st.opened_id) existing = &a;
    if (existing) {
        st.draft.id = existing->id;
        *existing = st.draft;
    } else {
        if (as_new) st.draft.name += " (copy)";
        st.draft.id = unused_audience_id(session);
        session.workspace.saved.audiences.push_back(st.draft);
    }
    st.opened_id = st.draft.id;
    changed(session);
    session.post(Level::Info, "Saved audience \"" + st.draft.name + "\"");
    return true;
}

void open_saved(Session& session, size_t index) {
    if (index >= session.workspace.saved.audiences.size()) return;
    session.audience.draft = session.workspace.saved.audiences[index];
    session.audience.opened_id = session.audience.draft.id;
}

void new_draft(Session& session) {
    session.audience.draft = Audience{};
    session.audience.draft.name = "New audience";
    session.audience.opened_id.clear();
}

bool rename_saved(Session& session, size_t index, const std::string& name) {
    if (index >= session.workspace.saved.audiences.size()) return false;
    if (name.empty() || name.size() > kMaxStringBytes) {
        session.post(Level::Error, "An audience name must have 1 to 10,000 bytes");
        return false;
    }
    Audience& a = session.workspace.saved.audiences[index];
    a.name = name;
    if (session.audience.opened_id == a.id) session.audience.draft.name = name;
    changed(session);
    return true;
}

void duplicate_saved(Session& session, size_t index) {
    if (index >= session.workspace.saved.audiences.size()) return;
    Audience copy = session.workspace.saved.audiences[index];
    copy.id = unused_audience_id(session);
    copy.name += " (copy)";
    session.workspace.saved.audiences.insert(session.workspace.saved.audiences.begin() + long(index) + 1,
                                       std::move(copy));
    changed(session);
}

void delete_saved(Session& session, size_t index) {
    if (index >= session.workspace.saved.audiences.size()) return;
    AudienceState& st = session.audience;
    st.deleted.push_back({index, session.workspace.saved.audiences[index]});
    if (st.deleted.size() > 50) st.deleted.erase(st.deleted.begin());
    // The draft stays as it is, now unsaved: deleting the saved copy loses none of the editing.
    if (st.opened_id == session.workspace.saved.audiences[index].id) st.opened_id.clear();
    session.post(Level::Info,
                 "Deleted audience \"" + session.workspace.saved.audiences[index].name + "\" (Undo in the rail)");
    session.workspace.saved.audiences.erase(session.workspace.saved.audiences.begin() + long(index));
    changed(session);
}

bool undo_delete(Session& session) {
    AudienceState& st = session.audience;
    if (st.deleted.empty()) return false;
    AudienceState::Deleted d = std::move(st.deleted.back());
    st.deleted.pop_back();
    // Another audience may have taken the id meanwhile (a new save): restore under a fresh one.
    for (const Audience& a : session.workspace.saved.audiences)
        if (a.id == d.audience.id) d.audience.id = unused_audience_id(session);
    size_t at = std::min(d.index, session.workspace.saved.audiences.size());
    session.post(Level::Info, "Restored audience \"" + d.audience.name + "\"");
    session.workspace.saved.audiences.insert(session.workspace.saved.audiences.begin() + long(at), std::move(d.audience));
    changed(session);
    return true;
}

std::vector<DefinitionError> open_definition(Session& session, std::string_view json_text) {
    ValidationResult r = parse_audience(json_text);
    if (!r.ok()) return r.errors;
    AudienceState& st = session.audience;
    // Keep what was being edited unless it is empty or saved as it is (nothing to lose then).
    bool empty = st.draft.root.rules.empty();
    bool saved_as_is = false;
    for (const Audience& a : session.workspace.saved.audiences)
        saved_as_is = saved_as_is || (a.id == st.opened_id && a == st.draft);
    if (!empty && !saved_as_is)
        st.replaced_draft = st.draft, st.replaced_opened_id = st.opened_id;
    else
        st.replaced_draft.reset();
    session.audience.draft = std::move(r.audience);
    // Opened from outside: saving makes it a new saved audience unless it is one of ours.
    session.audience.opened_id.clear();
    for (const Audience& a : session.workspace.saved.audiences)
        if (a.id == session.audience.draft.id) session.audience.opened_id = a.id;
    return {};
}

bool restore_replaced_draft(Session& session) {
    AudienceState& st = session.audience;
    if (!st.replaced_draft) return false;
    std::swap(st.draft, *st.replaced_draft);
    std::swap(st.opened_id, st.replaced_opened_id);
    // The opened one stays one click away too: the button now goes back and forth.
    return true;
}

std::string draft_json_text(const Session& session) {
    nlohmann::json j;
    to_json(j, session.audience.draft);
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string file_name_for(const std::string& audience_name, const char* extension) {
    // Keep letters, digits and any non-ASCII text (Chinese names stay readable); the rest of
    // ASCII becomes '-', so no path separator or control character reaches the download.
    std::string out;
    for (unsigned char c : audience_name) {
        bool keep = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '_';
        if (keep)
            out += char(c);
        else if (!out.empty() && out.back() != '-')
            out += '-';
        if (out.size() >= 80) break;
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    // A cut may split a UTF-8 sequence: drop a trailing partial one.
    size_t i = out.size();
    while (i > 0 && (static_cast<unsigned char>(out[i - 1]) & 0xC0) == 0x80) --i;
    if (i > 0 && static_cast<unsigned char>(out[i - 1]) >= 0xC0) {
        unsigned char lead = static_cast<unsigned char>(out[i - 1]);
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (out.size() - (i - 1) < need) out.resize(i - 1);
    }
    if (out.empty()) out = "audience";
    return out + extension;
}

} // namespace segx
