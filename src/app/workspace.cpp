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

// A definition's JSON (to_json writes nlohmann::json, keys sorted) as the workspace's ordered
// JSON, node by node: the same tree that dumping and parsing it again gave, without the text.
// Strings are copied as they are; dump() replaces any invalid UTF-8 when the workspace is written.
ordered_json to_ordered(const nlohmann::json& j) {
    switch (j.type()) {
        case nlohmann::json::value_t::object: {
            ordered_json o = ordered_json::object();
            for (const auto& [key, value] : j.items()) o[key] = to_ordered(value);
            return o;
        }
        case nlohmann::json::value_t::array: {
            ordered_json a = ordered_json::array();
            for (const auto& value : j) a.push_back(to_ordered(value));
            return a;
        }
        case nlohmann::json::value_t::string:
            return j.get_ref<const std::string&>();
        case nlohmann::json::value_t::boolean:
            return j.get<bool>();
        case nlohmann::json::value_t::number_integer:
            return j.get<int64_t>();
        case nlohmann::json::value_t::number_unsigned:
            return j.get<uint64_t>();
        case nlohmann::json::value_t::number_float: { // dump() writes a non-finite number as null
            const double x = j.get<double>();
            return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr);
        }
        default:
            return nullptr; // null (to_json writes no discarded or binary values)
    }
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
        section[a.id] = to_ordered(j);
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
        section[f.id] = to_ordered(j);
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
        section[f.id] = to_ordered(j);
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
        section[d.id] = to_ordered(j);
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
    if (!std::isfinite(v) || v < kMinMemoryBudgetMb || v > kMaxSettingMb) return false;
    *mb = v;
    return true;
}

// How much loaded data to keep in this browser: 0 (keep nothing) up to 1 TB, in megabytes.
bool read_keep(const ordered_json& j, double* mb) {
    if (!j.is_number()) return false;
    double v = j.get<double>();
    if (!std::isfinite(v) || v < 0 || v > kMaxSettingMb) return false;
    *mb = v;
    return true;
}

// settings.derived_attributes: [{name, event?, property, pick}] (model/README.md). Appends
// errors with paths under `at`; *out changes only when every entry reads.
bool read_derived(const ordered_json& j, std::vector<DerivedSpec>* out, std::vector<DefinitionError>* errors,
                  const std::string& at) {
    if (!j.is_array()) {
        errors->push_back({at, "expected a list of attributes from events"});
        return false;
    }
    std::vector<DerivedSpec> specs;
    const size_t before = errors->size();
    for (size_t i = 0; i < j.size() && i < 1000; i++) {
        const ordered_json& e = j[i];
        const std::string p = at + "[" + std::to_string(i) + "]";
        DerivedSpec d;
        if (!e.is_object()) {
            errors->push_back({p, "expected an object {name, event, property, pick}"});
            continue;
        }
        for (const auto& [key, value] : e.items()) {
            const bool text = value.is_string();
            if (key == "name" && text)
                d.name = value.get<std::string>();
            else if (key == "event" && text)
                d.event = value.get<std::string>();
            else if (key == "property" && text)
                d.property = value.get<std::string>();
            else if (key == "pick" && text && parse_pick(value.get<std::string>(), &d.pick))
                continue;
            else if (key == "name" || key == "event" || key == "property")
                errors->push_back({p + "." + key, "expected a string"});
            else if (key == "pick")
                errors->push_back({p + ".pick", "expected \"latest\", \"first\" or \"most_frequent\""});
            else
                errors->push_back({p + "." + key, "unknown key"});
        }
        if (d.name.empty()) errors->push_back({p + ".name", "must not be empty"});
        if (d.property.empty()) errors->push_back({p + ".property", "must not be empty"});
        specs.push_back(std::move(d));
    }
    if (errors->size() != before) return false;
    *out = std::move(specs);
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
        std::vector<DefinitionError> ignored; // lenient: a damaged list is left out
        if (s->contains("derived_attributes"))
            read_derived((*s)["derived_attributes"], &w->settings.derived_attributes, &ignored, "");
        if (auto a = s->find("auto_derived_attributes"); a != s->end() && a->is_boolean())
            w->settings.auto_derived_attributes = a->get<bool>();
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
    if (!w.settings.derived_attributes.empty()) {
        ordered_json list = ordered_json::array();
        for (const DerivedSpec& d : w.settings.derived_attributes) {
            ordered_json e = {{"name", d.name}};
            if (!d.event.empty()) e["event"] = d.event;
            e["property"] = d.property;
            e["pick"] = pick_name(d.pick);
            list.push_back(std::move(e));
        }
        doc["settings"]["derived_attributes"] = std::move(list);
    }
    if (!w.settings.auto_derived_attributes) doc["settings"]["auto_derived_attributes"] = false;
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
                {"settings.memory_budget_mb",
                 "the memory budget must be a number of megabytes from 1 to 1048576 (found " +
                     dump((*s)["memory_budget_mb"]) + ")"});
        if (s->contains("keep_data_mb") && !read_keep((*s)["keep_data_mb"], &next.settings.keep_data_mb))
            out.errors.push_back({"settings.keep_data_mb",
                                  "the data kept must be a number of megabytes from 0 to 1048576 (found " +
                                      dump((*s)["keep_data_mb"]) + ")"});
        if (s->contains("derived_attributes"))
            read_derived((*s)["derived_attributes"], &next.settings.derived_attributes, &out.errors,
                         "settings.derived_attributes");
        if (auto a = s->find("auto_derived_attributes"); a != s->end()) {
            if (a->is_boolean())
                next.settings.auto_derived_attributes = a->get<bool>();
            else
                out.errors.push_back({"settings.auto_derived_attributes", "expected true or false"});
        }
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

namespace {

// Rewrites references to renamed definitions inside one imported definition: audience rules
// ({"kind": "audience", "id"}), a saved audience as population ({"audience": "id"}) and funnel
// rules ({"kind": "funnel", "funnel"}). `top` is the definition itself, whose own id stays.
void rewrite_references(ordered_json& j, const std::map<std::string, std::string>& audiences,
                        const std::map<std::string, std::string>& funnels, bool top) {
    if (j.is_array()) {
        for (auto& v : j) rewrite_references(v, audiences, funnels, false);
        return;
    }
    if (!j.is_object()) return;
    auto swap = [](ordered_json& v, const std::map<std::string, std::string>& renamed) {
        if (!v.is_string()) return;
        auto it = renamed.find(v.get<std::string>());
        if (it != renamed.end()) v = it->second;
    };
    std::string kind = j.contains("kind") && j["kind"].is_string() ? j["kind"].get<std::string>() : "";
    if (!top && kind == "audience" && j.contains("id")) swap(j["id"], audiences);
    if (!top && kind == "funnel" && j.contains("funnel")) swap(j["funnel"], funnels);
    if (j.contains("audience") && j["audience"].is_string()) swap(j["audience"], audiences);
    for (auto& [key, v] : j.items())
        if (v.is_structured()) rewrite_references(v, audiences, funnels, false);
}

} // namespace

ImportResult import_workspace(Workspace* w, std::string_view json_text) {
    ImportResult out;
    ordered_json doc = ordered_json::parse(json_text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        out.merge.errors.push_back({"", "expected a workspace (a JSON object)"});
        return out;
    }
    // Ids taken: saved ones and every id the file itself uses, so a new id collides with neither.
    Workspace taken = *w;
    std::map<std::string, std::map<std::string, std::string>> renamed; // kind -> from -> to
    for (const Kind& k : kKinds) {
        auto section = doc.find(k.section);
        if (section == doc.end() || !section->is_object()) continue;
        ordered_json saved = ordered_json::object();
        k.write(*w, saved);
        ordered_json kept = ordered_json::object();
        for (auto& [key, value] : section->items()) {
            if (!k.has(*w, key)) {
                kept[key] = value;
                continue;
            }
            // The same definition as saved (read back the way it is written): nothing to do.
            Workspace scratch;
            ordered_json mine = ordered_json::object();
            if (k.read(scratch, key, dump(value), false).errors.empty()) k.write(scratch, mine);
            if (mine.contains(key) && saved.contains(key) && mine[key] == saved[key]) {
                out.unchanged.push_back(std::string(k.kind) + ":" + key);
                continue;
            }
            std::string id;
            for (int n = 1;; ++n) {
                id = key + "-imported" + (n > 1 ? "-" + std::to_string(n) : "");
                bool used = section->contains(id) || kept.contains(id) ||
                            std::any_of(std::begin(kKinds), std::end(kKinds),
                                        [&](const Kind& kk) { return kk.has(taken, id); }) ||
                            std::any_of(taken.unread.begin(), taken.unread.end(),
                                        [&](const UnreadDefinition& u) { return u.id == id; });
                if (!used) break;
            }
            ordered_json v = value;
            std::string name = v.is_object() && v.contains("name") && v["name"].is_string()
                                   ? v["name"].get<std::string>()
                                   : key;
            if (v.is_object()) {
                v["id"] = id;
                v["name"] = name + " (imported)";
            }
            renamed[k.kind][key] = id;
            out.renamed.push_back({k.kind, key, id, name + " (imported)"});
            kept[id] = std::move(v);
        }
        *section = std::move(kept);
    }
    // References among the imported definitions follow their renamed targets.
    for (const Kind& k : kKinds) {
        auto section = doc.find(k.section);
        if (section == doc.end() || !section->is_object()) continue;
        for (auto& [key, value] : section->items())
            rewrite_references(value, renamed["audience"], renamed["funnel"], true);
    }
    if (auto m = doc.find("mappings"); m != doc.end() && m->is_object())
        for (const auto& [name, mapping] : m->items()) {
            auto it = w->mappings.find(name);
            if (it != w->mappings.end() && ordered_json::parse(it->second, nullptr, false) != mapping)
                out.replaced_mappings.push_back(name);
        }
    if (auto s = doc.find("settings"); s != doc.end() && s->is_object()) {
        if (s->contains("memory_budget_mb") && (*s)["memory_budget_mb"] != w->settings.memory_budget_mb)
            out.replaced_settings.push_back("memory_budget_mb");
        if (s->contains("keep_data_mb") && (*s)["keep_data_mb"] != w->settings.keep_data_mb)
            out.replaced_settings.push_back("keep_data_mb");
    }
    out.merge = merge_workspace(w, dump(doc));
    if (!out.merge.ok()) {
        out.renamed.clear();
        out.unchanged.clear();
        out.replaced_mappings.clear();
        out.replaced_settings.clear();
    }
    return out;
}

bool remove_unread(Workspace* w, size_t index) {
    if (index >= w->unread.size()) return false;
    w->unread.erase(w->unread.begin() + long(index));
    ++w->revision;
    return true;
}

} // namespace segx
