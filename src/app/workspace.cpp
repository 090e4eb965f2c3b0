#include "app/workspace.h"

#include "core/audience/json.h"
#include "core/funnel/json.h"
#include "core/lifecycle/json.h"
#include "core/retention/json.h"
#include "core/rfm/json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace segx {

namespace {

// Ordered: the definitions keep their rail order through storage, as JS objects keep theirs.
using ordered_json = nlohmann::ordered_json;

std::string dump(const ordered_json& j, int indent = -1) {
    return j.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

std::string quoted_key(const std::string& key) {
    return dump(ordered_json(key.size() > 80 ? key.substr(0, 80) + "…" : key));
}

struct ReadOutcome {
    std::vector<DefinitionError> errors;
    std::string id; // the id it was saved under
};

// --- audiences ---------------------------------------------------------------------------------

ReadOutcome read_audience(Workspace& w, const std::string& key, std::string_view text, bool new_id_if_empty) {
    ReadOutcome out;
    ValidationResult r = parse_audience(text);
    if (!r.ok()) {
        out.errors = std::move(r.errors);
        return out;
    }
    Audience& a = r.audience;
    if (a.id.empty() && new_id_if_empty)
        a.id = unused_definition_id(w, "audience");
    else if (a.id.empty())
        out.errors.push_back({"id", "the audience needs an id"});
    else if (a.id != key)
        out.errors.push_back({"id", "expected " + quoted_key(key) + ", the key it is saved under"});
    if (!out.errors.empty()) return out;
    out.id = a.id;
    auto same = [&](const Audience& b) { return b.id == a.id; };
    auto it = std::find_if(w.saved.audiences.begin(), w.saved.audiences.end(), same);
    if (it != w.saved.audiences.end())
        *it = std::move(a);
    else
        w.saved.audiences.push_back(std::move(a));
    return out;
}

void write_audiences(const Workspace& w, ordered_json& section) {
    for (const Audience& a : w.saved.audiences) {
        nlohmann::json j;
        to_json(j, a);
        section[a.id] = ordered_json::parse(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
}

bool has_audience(const Workspace& w, const std::string& id) {
    return std::any_of(w.saved.audiences.begin(), w.saved.audiences.end(),
                       [&](const Audience& a) { return a.id == id; });
}

// --- funnels ----------------------------------------------------------------------------------

ReadOutcome read_funnel(Workspace& w, const std::string& key, std::string_view text, bool new_id_if_empty) {
    ReadOutcome out;
    FunnelValidation r = parse_funnel(text, check_audience_group);
    if (!r.ok()) {
        out.errors = std::move(r.errors);
        return out;
    }
    Funnel& f = r.funnel;
    if (f.id.empty() && new_id_if_empty)
        f.id = unused_definition_id(w, "funnel");
    else if (f.id.empty())
        out.errors.push_back({"id", "the funnel needs an id"});
    else if (f.id != key)
        out.errors.push_back({"id", "expected " + quoted_key(key) + ", the key it is saved under"});
    if (!out.errors.empty()) return out;
    out.id = f.id;
    auto it = std::find_if(w.saved.funnels.begin(), w.saved.funnels.end(),
                           [&](const Funnel& b) { return b.id == f.id; });
    if (it != w.saved.funnels.end())
        *it = std::move(f);
    else
        w.saved.funnels.push_back(std::move(f));
    return out;
}

void write_funnels(const Workspace& w, ordered_json& section) {
    for (const Funnel& f : w.saved.funnels) {
        nlohmann::json j;
        to_json(j, f);
        section[f.id] = ordered_json::parse(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
}

bool has_funnel(const Workspace& w, const std::string& id) { return w.saved.funnel(id) != nullptr; }

// --- RFM settings ---------------------------------------------------------------------------

ReadOutcome read_rfm(Workspace& w, const std::string& key, std::string_view text, bool new_id_if_empty) {
    ReadOutcome out;
    RfmValidation r = parse_rfm(text);
    if (!r.ok()) {
        out.errors = std::move(r.errors);
        return out;
    }
    Rfm& f = r.rfm;
    if (f.id.empty() && new_id_if_empty)
        f.id = unused_definition_id(w, "rfm");
    else if (f.id.empty())
        out.errors.push_back({"id", "the RFM settings need an id"});
    else if (f.id != key)
        out.errors.push_back({"id", "expected " + quoted_key(key) + ", the key it is saved under"});
    if (!out.errors.empty()) return out;
    out.id = f.id;
    auto it =
        std::find_if(w.saved.rfms.begin(), w.saved.rfms.end(), [&](const Rfm& b) { return b.id == f.id; });
    if (it != w.saved.rfms.end())
        *it = std::move(f);
    else
        w.saved.rfms.push_back(std::move(f));
    return out;
}

void write_rfms(const Workspace& w, ordered_json& section) {
    for (const Rfm& f : w.saved.rfms) {
        nlohmann::json j;
        to_json(j, f);
        section[f.id] = ordered_json::parse(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
}

bool has_rfm(const Workspace& w, const std::string& id) { return w.saved.rfm(id) != nullptr; }

// --- retention, lifecycle and board definitions (one list each, read and written alike) -------

template <typename T>
struct Analysis;
template <>
struct Analysis<Retention> {
    static constexpr const char* kind = "retention";
    static std::vector<Retention>& list(Workspace& w) { return w.saved.retentions; }
    static const std::vector<Retention>& list(const Workspace& w) { return w.saved.retentions; }
    static RetentionValidation parse(std::string_view text) {
        return parse_retention(text, check_audience_group);
    }
    static Retention& value(RetentionValidation& r) { return r.retention; }
};
template <>
struct Analysis<Lifecycle> {
    static constexpr const char* kind = "lifecycle";
    static std::vector<Lifecycle>& list(Workspace& w) { return w.saved.lifecycles; }
    static const std::vector<Lifecycle>& list(const Workspace& w) { return w.saved.lifecycles; }
    static LifecycleValidation parse(std::string_view text) {
        return parse_lifecycle(text, check_audience_group);
    }
    static Lifecycle& value(LifecycleValidation& r) { return r.lifecycle; }
};
template <>
struct Analysis<Board> {
    static constexpr const char* kind = "board";
    static std::vector<Board>& list(Workspace& w) { return w.saved.boards; }
    static const std::vector<Board>& list(const Workspace& w) { return w.saved.boards; }
    static BoardValidation parse(std::string_view text) { return parse_board(text, check_audience_group); }
    static Board& value(BoardValidation& r) { return r.board; }
};

template <typename T>
ReadOutcome read_analysis(Workspace& w, const std::string& key, std::string_view text, bool new_id_if_empty) {
    using A = Analysis<T>;
    ReadOutcome out;
    auto r = A::parse(text);
    if (!r.ok()) {
        out.errors = std::move(r.errors);
        return out;
    }
    T& d = A::value(r);
    if (d.id.empty() && new_id_if_empty)
        d.id = unused_definition_id(w, A::kind);
    else if (d.id.empty())
        out.errors.push_back({"id", std::string("the ") + A::kind + " definition needs an id"});
    else if (d.id != key)
        out.errors.push_back({"id", "expected " + quoted_key(key) + ", the key it is saved under"});
    if (!out.errors.empty()) return out;
    out.id = d.id;
    std::vector<T>& list = A::list(w);
    auto it = std::find_if(list.begin(), list.end(), [&](const T& b) { return b.id == d.id; });
    if (it != list.end())
        *it = std::move(d);
    else
        list.push_back(std::move(d));
    return out;
}

template <typename T>
void write_analyses(const Workspace& w, ordered_json& section) {
    for (const T& d : Analysis<T>::list(w)) {
        nlohmann::json j;
        to_json(j, d);
        section[d.id] = ordered_json::parse(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
}

template <typename T>
bool has_analysis(const Workspace& w, const std::string& id) {
    const std::vector<T>& list = Analysis<T>::list(w);
    return std::any_of(list.begin(), list.end(), [&](const T& d) { return d.id == id; });
}

// --- the kinds ---------------------------------------------------------------------------------

// Every kind of saved definition: its name, the workspace section it is saved in, and how one
// is read (added to the workspace, replacing the one of the same id), written and looked up.
struct Kind {
    const char* kind;
    const char* section;
    ReadOutcome (*read)(Workspace& w, const std::string& key, std::string_view text, bool new_id_if_empty);
    void (*write)(const Workspace& w, ordered_json& section);
    bool (*has)(const Workspace& w, const std::string& id);
};

const Kind kKinds[] = {
    {"audience", "audiences", read_audience, write_audiences, has_audience},
    {"funnel", "funnels", read_funnel, write_funnels, has_funnel},
    {"rfm", "rfms", read_rfm, write_rfms, has_rfm},
    {"retention", "retentions", read_analysis<Retention>, write_analyses<Retention>, has_analysis<Retention>},
    {"lifecycle", "lifecycles", read_analysis<Lifecycle>, write_analyses<Lifecycle>, has_analysis<Lifecycle>},
    {"board", "boards", read_analysis<Board>, write_analyses<Board>, has_analysis<Board>},
};

void drop_unread(Workspace& w, const std::string& kind, const std::string& id) {
    w.unread.erase(std::remove_if(w.unread.begin(), w.unread.end(),
                                  [&](const UnreadDefinition& u) { return u.kind == kind && u.id == id; }),
                   w.unread.end());
}

// A memory budget from JSON, or nothing when it is not a positive number of megabytes.
bool read_budget(const ordered_json& j, double* mb) {
    if (!j.is_number()) return false;
    double v = j.get<double>();
    if (!std::isfinite(v) || v <= 0 || v > 1048576) return false;
    *mb = v;
    return true;
}

// How much loaded data to keep in this browser: 0 (keep nothing) up to 1 TB, in megabytes.
bool read_keep(const ordered_json& j, double* mb) {
    if (!j.is_number()) return false;
    double v = j.get<double>();
    if (!std::isfinite(v) || v < 0 || v > 1048576) return false;
    *mb = v;
    return true;
}

// The interface language: exactly "en" or "zh-CN" (what the switch writes), nothing looser.
bool read_language(const ordered_json& j, std::string* code) {
    if (!j.is_string()) return false;
    std::string v = j.get<std::string>();
    if (v != "en" && v != "zh-CN") return false;
    *code = v;
    return true;
}

} // namespace

std::string unused_definition_id(const Workspace& w, const std::string& prefix) {
    for (int n = 1;; ++n) {
        std::string id = prefix + "-" + std::to_string(n);
        bool taken = std::any_of(w.unread.begin(), w.unread.end(),
                                 [&](const UnreadDefinition& u) { return u.id == id; });
        for (const Kind& k : kKinds) taken = taken || k.has(w, id);
        if (!taken) return id;
    }
}

bool read_workspace(std::string_view text, Workspace* w, std::string* problem) {
    uint64_t revision = w->revision + 1;
    *w = Workspace{};
    w->revision = revision;
    ordered_json doc = ordered_json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        *problem = "it is not a JSON object";
        return false;
    }
    if (doc.value("segx", ordered_json()) != 1) {
        *problem = "it is not a workspace of version 1";
        return false;
    }
    for (const Kind& k : kKinds) {
        auto section = doc.find(k.section);
        if (section == doc.end() || !section->is_object()) continue;
        for (const auto& [key, value] : section->items()) {
            std::string value_text = dump(value);
            ReadOutcome r = k.read(*w, key, value_text, false);
            if (r.errors.empty()) continue;
            UnreadDefinition u{k.kind, key, "", value_text, std::move(r.errors)};
            if (value.is_object() && value.contains("name") && value["name"].is_string())
                u.name = value["name"].get<std::string>();
            w->unread.push_back(std::move(u));
        }
    }
    if (auto m = doc.find("mappings"); m != doc.end() && m->is_object())
        for (const auto& [name, mapping] : m->items())
            if (mapping.is_object()) w->mappings[name] = dump(mapping);
    if (auto s = doc.find("settings"); s != doc.end() && s->is_object()) {
        if (s->contains("memory_budget_mb"))
            read_budget((*s)["memory_budget_mb"], &w->settings.memory_budget_mb);
        if (s->contains("keep_data_mb")) read_keep((*s)["keep_data_mb"], &w->settings.keep_data_mb);
        if (s->contains("language")) read_language((*s)["language"], &w->settings.language);
    }
    if (auto h = doc.find("sql_history"); h != doc.end() && h->is_array())
        for (const auto& q : *h)
            if (q.is_string() && w->sql_history.size() < 50) w->sql_history.push_back(q.get<std::string>());
    return true;
}

std::string workspace_json(const Workspace& w, bool for_export, size_t* left_out) {
    ordered_json doc = ordered_json::object();
    doc["segx"] = 1;
    if (for_export) doc["kind"] = "workspace";
    ordered_json mappings = ordered_json::object();
    for (const auto& [name, text] : w.mappings) mappings[name] = ordered_json::parse(text, nullptr, false);
    doc["mappings"] = std::move(mappings);
    for (const Kind& k : kKinds) {
        ordered_json section = ordered_json::object();
        k.write(w, section);
        for (const UnreadDefinition& u : w.unread)
            if (!for_export && u.kind == k.kind) section[u.id] = ordered_json::parse(u.json, nullptr, false);
        doc[k.section] = std::move(section);
    }
    doc["settings"] = {{"memory_budget_mb", w.settings.memory_budget_mb},
                       {"keep_data_mb", w.settings.keep_data_mb}};
    if (!w.settings.language.empty())
        doc["settings"]["language"] = w.settings.language; // none chosen: none written
    // The SQL tab's history stays in this browser: an exported workspace leaves it out.
    if (!for_export) doc["sql_history"] = w.sql_history;
    if (left_out) *left_out = for_export ? w.unread.size() : 0;
    return dump(doc, for_export ? 2 : -1) + (for_export ? "\n" : "");
}

MergeResult merge_workspace(Workspace* w, std::string_view json_text) {
    MergeResult out;
    ordered_json doc = ordered_json::parse(json_text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        out.errors.push_back({"", "expected a workspace (a JSON object)"});
        return out;
    }
    Workspace next = *w; // all or nothing: changes go to a copy
    for (const Kind& k : kKinds) {
        auto section = doc.find(k.section);
        if (section == doc.end()) continue;
        if (!section->is_object()) {
            out.errors.push_back({k.section, "expected an object keyed by id"});
            continue;
        }
        for (const auto& [key, value] : section->items()) {
            ReadOutcome r = k.read(next, key, dump(value), true);
            std::string at = std::string(k.section) + "[" + quoted_key(key) + "]";
            for (const DefinitionError& e : r.errors)
                out.errors.push_back({e.path.empty() || e.path == "$" ? at : at + "." + e.path, e.message});
            if (!r.errors.empty()) continue;
            drop_unread(next, k.kind, r.id);
            out.ids.push_back(r.id);
        }
    }
    if (auto m = doc.find("mappings"); m != doc.end()) {
        if (!m->is_object()) {
            out.errors.push_back({"mappings", "expected an object keyed by file name"});
        } else {
            for (const auto& [name, mapping] : m->items()) {
                if (mapping.is_object())
                    next.mappings[name] = dump(mapping);
                else
                    out.errors.push_back(
                        {"mappings[" + quoted_key(name) + "]", "expected a mapping (an object)"});
            }
        }
    }
    if (auto s = doc.find("settings"); s != doc.end() && s->is_object()) {
        if (s->contains("memory_budget_mb") &&
            !read_budget((*s)["memory_budget_mb"], &next.settings.memory_budget_mb))
            out.errors.push_back(
                {"settings.memory_budget_mb", "expected a number of megabytes, more than 0"});
        if (s->contains("keep_data_mb") && !read_keep((*s)["keep_data_mb"], &next.settings.keep_data_mb))
            out.errors.push_back({"settings.keep_data_mb", "expected a number of megabytes, 0 or more"});
        if (s->contains("language") && !read_language((*s)["language"], &next.settings.language))
            out.errors.push_back({"settings.language", "expected \"en\" or \"zh-CN\""});
    }
    if (!out.ok()) {
        out.ids.clear();
        return out;
    }
    next.revision = w->revision + 1;
    *w = std::move(next);
    return out;
}

bool remove_unread(Workspace* w, size_t index) {
    if (index >= w->unread.size()) return false;
    w->unread.erase(w->unread.begin() + long(index));
    ++w->revision;
    return true;
}

} // namespace segx
