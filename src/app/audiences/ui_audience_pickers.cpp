// Pickers of the audience editor: names and values from the loaded data, with type-ahead.
#include "app/audiences/ui_audience.h"
#include "app/i18n/i18n.h"

#include "app/widget_registry.h"
#include "core/model/derived.h"
#include "core/model/top_values.h"
#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <list>

namespace segx {

static constexpr size_t kPickLimit = 50; // rows a picker lists; typing narrows further

// Counting a column is one pass over up to millions of rows: too much for every frame a popup
// is open, so results are kept per (what, filter, model generation) for a handful of keys.
static const std::vector<PickItem>& memo(const std::string& key,
                                         const std::function<std::vector<PickItem>()>& compute) {
    static std::list<std::pair<std::string, std::vector<PickItem>>> cache;
    for (auto it = cache.begin(); it != cache.end(); ++it)
        if (it->first == key) {
            cache.splice(cache.begin(), cache, it);
            return cache.front().second;
        }
    cache.emplace_front(key, compute());
    if (cache.size() > 16) cache.pop_back();
    return cache.front().second;
}

static std::vector<PickItem> counted(const std::vector<ValueCount>& values, const char* unit) {
    std::vector<PickItem> out;
    for (const ValueCount& v : values) out.push_back({v.value, format_count(double(v.count)) + unit});
    return out;
}

static std::string gen_key(const Session& s, const char* what, std::string_view a, std::string_view b,
                           std::string_view filter) {
    return std::to_string(s.model_generation) + '\x1f' + what + '\x1f' + std::string(a) + '\x1f' +
           std::string(b) + '\x1f' + std::string(filter);
}

PickSource attribute_names(const Session& session) {
    return [&session](std::string_view filter) {
        std::vector<PickItem> out;
        for (const Column& c : session.model.attributes) {
            if (!contains_ascii_ci(c.name, filter)) continue;
            const DerivedSpec* d = find_derived(session.model, c.name); // from events: say how
            out.push_back({c.name, d ? derived_note(*d) : std::string(type_name(c.type))});
        }
        return out;
    };
}

PickSource event_names(const Session& session) {
    return [&session](std::string_view filter) {
        return memo(gen_key(session, "events", "", "", filter),
                    [&] { return counted(top_event_names(session.model, kPickLimit, filter), " events"); });
    };
}

static bool is_numeric(ColumnType t) { return t == ColumnType::Int64 || t == ColumnType::Double; }

PickSource event_property_names(const Session& session, bool numeric_only) {
    return [&session, numeric_only](std::string_view filter) {
        std::vector<PickItem> out;
        if (numeric_only && contains_ascii_ci("revenue", filter))
            out.push_back({"revenue", tr(S::revenue_column)});
        for (const Column& c : session.model.events.properties)
            if ((!numeric_only || is_numeric(c.type)) && contains_ascii_ci(c.name, filter))
                out.push_back({c.name, type_name(c.type)});
        return out;
    };
}

PickSource attribute_values(const Session& session, const std::string& attribute) {
    return [&session, attribute](std::string_view filter) {
        return memo(gen_key(session, "attr", attribute, "", filter), [&] {
            return counted(top_attribute_values(session.model, attribute, kPickLimit, filter), " users");
        });
    };
}

PickSource event_property_values(const Session& session, const std::string& event,
                                 const std::string& property) {
    return [&session, event, property](std::string_view filter) {
        return memo(gen_key(session, "prop", event, property, filter), [&] {
            return counted(top_event_property_values(session.model, event, property, kPickLimit, filter),
                           " events");
        });
    };
}

ColumnType attribute_type(const Session& session, const std::string& attribute) {
    for (const Column& c : session.model.attributes)
        if (c.name == attribute) return c.type;
    return ColumnType::String;
}

ColumnType event_property_type(const Session& session, const std::string& property) {
    for (const Column& c : session.model.events.properties)
        if (c.name == property) return c.type;
    return ColumnType::String;
}

std::string scalar_text(const Scalar& s) {
    switch (s.kind) {
        case Scalar::Kind::String:
            return s.text;
        case Scalar::Kind::Bool:
            return s.boolean ? "true" : "false";
        case Scalar::Kind::Number: {
            // The shortest text that reads back as the same double.
            char buf[32];
            for (int precision = 1; precision <= 17; ++precision) {
                std::snprintf(buf, sizeof buf, "%.*g", precision, s.number);
                if (std::strtod(buf, nullptr) == s.number) break;
            }
            return buf;
        }
    }
    return "";
}

// Numbers for number columns (when the text is one), booleans for boolean columns, text for
// the rest: dates stay ISO text, which the evaluator parses. Anything else stays text, and the
// evaluator names the rule whose value does not fit the column.
Scalar scalar_from_text(const std::string& text, ColumnType type) {
    if (is_numeric(type) && !text.empty()) {
        char* end = nullptr;
        double x = std::strtod(text.c_str(), &end);
        if (end && *end == '\0' && std::isfinite(x)) return Scalar::of(x);
    }
    if (type == ColumnType::Bool && (text == "true" || text == "false"))
        return Scalar::of_bool(text == "true");
    return Scalar::of(text);
}

// The list part of a picker popup: items matching `filter`, the current one checked. Returns
// the index clicked (or taken with Enter), -1 for none.
static int pick_list(const std::vector<PickItem>& items, const std::string& current, bool enter) {
    int picked = -1;
    if (items.empty()) ImGui::TextDisabled("%s", tr(S::no_match));
    for (size_t i = 0; i < items.size(); ++i) {
        ImGui::PushID(int(i));
        std::string label =
            (items[i].text.empty() ? std::string(tr(S::empty_text)) : items[i].text) + "##pick";
        float note_w = ImGui::CalcTextSize(items[i].note.c_str()).x;
        if (ImGui::Selectable(label.c_str(), items[i].text == current)) picked = int(i);
        if (!items[i].note.empty()) {
            ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - note_w);
            ImGui::TextDisabled("%s", items[i].note.c_str());
        }
        ImGui::PopID();
    }
    if (enter && picked < 0 && !items.empty()) picked = 0;
    return picked;
}

bool pick_combo(const char* label, std::string& value, const PickSource& source, float width,
                const char* placeholder) {
    static std::string filter; // one popup is open at a time
    bool changed = false;
    ImGui::SetNextItemWidth(width);
    // At least as wide as the combo and wide enough for a name and its count; a short list.
    float em = ImGui::GetFontSize() / 14;
    ImGui::SetNextWindowSizeConstraints(ImVec2(std::max(width, 260 * em), 0),
                                        ImVec2(std::max(width, 360 * em), 360 * em));
    if (begin_combo(label, value.empty() ? placeholder : value.c_str())) {
        if (ImGui::IsWindowAppearing()) {
            filter.clear();
            ImGui::SetKeyboardFocusHere();
        }
        ImGui::SetNextItemWidth(-1);
        bool enter = ImGui::InputTextWithHint("##search", tr(S::type_to_search), &filter,
                                              ImGuiInputTextFlags_EnterReturnsTrue);
        std::vector<PickItem> items = source(filter);
        int picked = pick_list(items, value, enter);
        if (picked >= 0) {
            value = items[size_t(picked)].text;
            changed = true;
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndCombo();
    }
    return changed;
}

// The ▾ button beside a value field: the top values matching `typed`, with their counts.
static bool top_values_button(const char* popup_id, const std::string& typed, const PickSource& top,
                              std::string* picked) {
    bool changed = false;
    ImGui::SameLine(0, 0);
    if (ImGui::ArrowButton(popup_id, ImGuiDir_Down)) ImGui::OpenPopup(popup_id);
    widget_registry_note_last_item(popup_id); // arrow buttons report no label to the hooks
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::top_values_tip));
    if (ImGui::BeginPopup(popup_id)) {
        ImGui::TextDisabled(
            "%s", typed.empty() ? tr(S::most_frequent) : trf(S::most_frequent_containing, {typed}).c_str());
        ImGui::Separator();
        std::vector<PickItem> items = top(typed);
        ImGui::BeginChild("##values", ImVec2(320 * ImGui::GetFontSize() / 14,
                                             std::min(320.0f, (items.size() + 1) * ImGui::GetFrameHeight()) *
                                                 ImGui::GetFontSize() / 14));
        int i = pick_list(items, typed, false);
        ImGui::EndChild();
        if (i >= 0) {
            *picked = items[size_t(i)].text;
            changed = true;
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
    return changed;
}

bool value_field(const char* label, Scalar& value, ColumnType type, const PickSource& top, float width) {
    // While the field is active Dear ImGui edits its own copy of the text, so a half-typed
    // number ("1.") is not rewritten under the caret by the round trip through Scalar.
    std::string text = scalar_text(value);
    float button = ImGui::GetFrameHeight();
    ImGui::SetNextItemWidth(std::max(40.0f, width - button));
    bool changed = ImGui::InputTextWithHint(label, tr(S::value_hint), &text);
    std::string popup = std::string(label) + "_top";
    std::string picked;
    if (top_values_button(popup.c_str(), text, top, &picked)) text = picked, changed = true;
    if (changed) value = scalar_from_text(text, type);
    return changed;
}

bool values_list(const char* label, std::vector<Scalar>& values, ColumnType type, const PickSource& top,
                 float width) {
    bool changed = false;
    ImGui::PushID(label);
    int remove = -1;
    for (size_t i = 0; i < values.size(); ++i) {
        ImGui::PushID(int(i));
        std::string chip = scalar_text(values[i]) + "  x";
        if (ImGui::SmallButton(chip.c_str())) remove = int(i);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::remove_value_tip));
        ImGui::SameLine();
        ImGui::PopID();
    }
    if (remove >= 0) values.erase(values.begin() + remove), changed = true;
    static std::string adding; // the one "add" field being typed in
    static ImGuiID adding_id = 0;
    ImGuiID id = ImGui::GetID("##add");
    std::string text = adding_id == id ? adding : std::string();
    // Chips come first, so the field takes what is left of the width, within reason.
    ImGui::SetNextItemWidth(
        std::max(100.0f * ImGui::GetFontSize() / 14,
                 width - ImGui::GetFrameHeight() - ImGui::GetItemRectSize().x * float(values.size())));
    bool enter =
        ImGui::InputTextWithHint("##add", tr(S::add_value_hint), &text, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::IsItemEdited() || enter) adding = text, adding_id = id;
    std::string picked;
    bool from_list = top_values_button("##add_top", text, top, &picked);
    if ((enter && !text.empty()) || from_list) {
        Scalar v = scalar_from_text(from_list ? picked : text, type);
        bool present = false;
        for (const Scalar& s : values) present = present || s == v;
        if (!present && values.size() < kMaxValues) values.push_back(v), changed = true;
        adding.clear();
        if (enter) ImGui::SetKeyboardFocusHere(-1); // keep typing the next value
    }
    ImGui::PopID();
    return changed;
}

} // namespace segx
