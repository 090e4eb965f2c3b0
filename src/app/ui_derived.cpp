// Data tab, "Attributes from events": the workspace's list of event properties used as user
// attributes (core/model/derived.h), the automatic ones the model found, and a form to add one.
// Edits change the workspace settings only; the session re-derives at the next frame.
#include "app/i18n/i18n.h"
#include "app/ui.h"

#include "core/model/derived.h"

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"

namespace segx {

static const char* pick_text(DerivedPick p) {
    return tr(p == DerivedPick::First          ? S::derived_pick_first
              : p == DerivedPick::MostFrequent ? S::derived_pick_most
                                               : S::derived_pick_latest);
}

static std::string from_text(const DerivedSpec& d) {
    return d.event.empty() ? trf(S::derived_from_any, {d.property})
                           : trf(S::derived_from_event, {d.property, d.event});
}

std::string derived_note(const DerivedSpec& d) {
    return std::string(pick_text(d.pick)) + " · " + from_text(d);
}

static void changed(Session& session) { ++session.workspace.revision; }

static void draw_list(Session& session) {
    const Model& m = session.model;
    std::vector<DerivedSpec>& specs = session.workspace.settings.derived_attributes;
    if (m.derived.empty() && specs.empty()) {
        ImGui::TextDisabled("%s", tr(S::derived_none));
        return;
    }
    const ImGuiTableFlags flags =
        ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("##derived", 4, flags)) return;
    ImGui::TableSetupColumn(tr(S::derived_col_name));
    ImGui::TableSetupColumn(tr(S::derived_col_from));
    ImGui::TableSetupColumn(tr(S::derived_value));
    ImGui::TableSetupColumn("##remove", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    int remove = -1;
    // The explicit ones as the workspace lists them (also those the data leaves out), then the
    // automatic ones the model found.
    for (size_t i = 0; i < specs.size(); i++) {
        const DerivedSpec& d = specs[i];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (find_derived(m, d.name) != nullptr)
            ImGui::TextUnformatted(d.name.c_str());
        else
            ImGui::TextDisabled("%s", d.name.c_str()); // left out: Messages say why
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(from_text(d).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(pick_text(d.pick));
        ImGui::TableNextColumn();
        if (ImGui::SmallButton(
                (std::string(tr(S::derived_remove)) + "##derived" + std::to_string(i)).c_str()))
            remove = int(i);
    }
    for (const DerivedSpec& d : m.derived) {
        if (!d.automatic) continue;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(d.name.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(from_text(d).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(pick_text(d.pick));
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", tr(S::derived_automatic));
    }
    ImGui::EndTable();
    if (remove >= 0) {
        specs.erase(specs.begin() + remove);
        changed(session);
    }
}

static void draw_form(Session& session, UiState& ui) {
    const Model& m = session.model;
    UiState::DerivedForm& f = ui.derived_form;
    ImGui::TextUnformatted(tr(S::derived_add_title));
    const float w = 200 * ui.scale;
    ImGui::SetNextItemWidth(w);
    if (begin_combo(label(S::derived_property, "derived_property").c_str(), f.property.c_str())) {
        for (const Column& c : m.events.properties)
            if (ImGui::Selectable((c.name + "##pick").c_str(), c.name == f.property)) {
                if (f.name.empty() || f.name == f.property) f.name = c.name;
                f.property = c.name;
            }
        ImGui::EndCombo();
    }
    ImGui::SetNextItemWidth(w);
    if (begin_combo(label(S::derived_event, "derived_event").c_str(),
                    f.event.empty() ? tr(S::derived_any_event) : f.event.c_str())) {
        if (ImGui::Selectable((std::string(tr(S::derived_any_event)) + "##any_event").c_str(),
                              f.event.empty()))
            f.event.clear();
        for (uint32_t e = 0; e < m.event_names.size(); e++) {
            const std::string name(m.event_names.at(e));
            if (ImGui::Selectable((name + "##pick").c_str(), name == f.event)) f.event = name;
        }
        ImGui::EndCombo();
    }
    ImGui::SetNextItemWidth(w);
    if (begin_combo(label(S::derived_value, "derived_pick").c_str(), pick_text(f.pick))) {
        for (DerivedPick p : {DerivedPick::Latest, DerivedPick::First, DerivedPick::MostFrequent})
            if (ImGui::Selectable((std::string(pick_text(p)) + "##" + pick_name(p)).c_str(), f.pick == p))
                f.pick = p;
        ImGui::EndCombo();
    }
    ImGui::SetNextItemWidth(w);
    ImGui::InputText(label(S::derived_name, "derived_name").c_str(), &f.name);
    ImGui::BeginDisabled(f.property.empty() || f.name.empty());
    if (ImGui::Button(label(S::derived_add, "derived_add").c_str())) {
        std::vector<DerivedSpec>& specs = session.workspace.settings.derived_attributes;
        DerivedSpec d{f.name, f.event, f.property, f.pick, false};
        bool replaced = false;
        for (DerivedSpec& s : specs)
            if (s.name == d.name) s = d, replaced = true;
        if (!replaced) specs.push_back(d);
        changed(session);
        f = UiState::DerivedForm{};
    }
    ImGui::EndDisabled();
}

void draw_derived_attributes(Session& session, UiState& ui) {
    ImGui::TextWrapped("%s", tr(S::derived_intro));
    bool automatic = session.workspace.settings.auto_derived_attributes;
    if (ImGui::Checkbox(label(S::derived_auto, "derived_auto").c_str(), &automatic)) {
        session.workspace.settings.auto_derived_attributes = automatic;
        changed(session);
    }
    ImGui::Spacing();
    draw_list(session);
    ImGui::Spacing();
    if (session.model.events.properties.empty()) {
        ImGui::TextDisabled("%s", tr(S::derived_no_events));
        return;
    }
    draw_form(session, ui);
}

} // namespace segx
