// Audiences tab: the draft's name and live size, the actions that save, share and export it,
// the rule tree on the left, and its insight and overlap on the right.
#include "app/audiences/ui_audience.h"
#include "app/theme.h"

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"

#include <algorithm>
#include <cstdio>

namespace segx {

static void draw_size(const Session& session, const AudienceState& st, const UiState& ui) {
    if (evaluation_pending(session, st)) {
        // Long evaluations run a slice per frame (audience_state.h): the page stays live.
        ImGui::TextDisabled("Evaluating...");
        ImGui::SameLine();
        ImGui::ProgressBar(st.job.progress(), ImVec2(120 * ui.scale, ImGui::GetTextLineHeight()), "");
        return;
    }
    if (!st.errors.empty()) {
        ImGui::TextColored(kErrorText, "%zu %s to fix before the size is known", st.errors.size(),
                           st.errors.size() == 1 ? "problem" : "problems");
        return;
    }
    double share = st.users ? double(st.size) / double(st.users) : 0.0;
    ImGui::Text("%s users", format_count(double(st.size)).c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("%.1f%% of %s", share * 100, format_count(double(st.users)).c_str());
    ImGui::SameLine();
    ImGui::ProgressBar(float(share), ImVec2(120 * ui.scale, ImGui::GetTextLineHeight()), "");
    ImGui::SameLine();
    ImGui::TextDisabled("%.1f ms", st.eval_ms);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "Time to evaluate the audience (rules unchanged since the last edit come from a cache)");
}

static void members_csv_popup(Session& session, const AudienceState& st, UiState& ui) {
    if (!ui.csv_attributes_set) {
        ui.csv_attributes.clear();
        for (const Column& c : session.model.attributes) ui.csv_attributes.push_back(c.name);
    }
    ImGui::TextDisabled("Columns besides user_id");
    for (const Column& c : session.model.attributes) {
        auto it = std::find(ui.csv_attributes.begin(), ui.csv_attributes.end(), c.name);
        bool on = it != ui.csv_attributes.end();
        if (ImGui::Checkbox((c.name + "##csv").c_str(), &on)) {
            ui.csv_attributes_set = true;
            if (on)
                ui.csv_attributes.push_back(c.name);
            else
                ui.csv_attributes.erase(it);
        }
    }
    ImGui::Separator();
    bool ok = st.errors.empty() && !evaluation_pending(session, st);
    ImGui::BeginDisabled(!ok);
    if (ImGui::Button("Download CSV")) {
        // Columns in the model's order, whatever order they were ticked in.
        std::vector<std::string> chosen;
        for (const Column& c : session.model.attributes)
            if (std::find(ui.csv_attributes.begin(), ui.csv_attributes.end(), c.name) !=
                ui.csv_attributes.end())
                chosen.push_back(c.name);
        ui.download = {file_name_for(st.draft.name, "-members.csv"), "text/csv;charset=utf-8",
                       members_csv_text(session, st, chosen)};
        session.post(Level::Info, "Exported " + format_count(double(st.size)) + " members as CSV");
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
}

static void draw_actions(Session& session, AudienceState& st, UiState& ui) {
    if (ImGui::Button("Save")) save_draft(session, st, false);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(st.opened_id.empty() ? "Save to the workspace (kept in this browser)"
                                               : "Save the changes to this saved audience");
    flow_same_line(button_width("Save as new"));
    ImGui::BeginDisabled(st.opened_id.empty());
    if (ImGui::Button("Save as new")) save_draft(session, st, true);
    ImGui::EndDisabled();
    flow_same_line(button_width("New"));
    if (ImGui::Button("New")) new_draft(st);
    flow_same_line(ImGui::CalcTextSize("|").x);
    ImGui::TextDisabled("|");
    flow_same_line(button_width("Download JSON"));
    if (ImGui::Button("Download JSON"))
        ui.download = {file_name_for(st.draft.name, ".segx.json"), "application/json", draft_json_text(st)};
    flow_same_line(button_width("Import JSON"));
    if (ImGui::Button("Import JSON")) ui.import_requested = true;
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "Open an audience definition or a whole workspace (.json). Nothing changes unless it is valid.");
    flow_same_line(button_width("Copy link"));
    if (ImGui::Button("Copy link")) ui.share_request = draft_json_text(st);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("A link that opens this definition (the definition only: no data is in it)");
    flow_same_line(button_width("Copy SQL"));
    if (ImGui::Button("Copy SQL")) {
        std::string sql, problem;
        if (audience_sql_text(session, st, &sql, &problem)) {
            ImGui::SetClipboardText(sql.c_str());
            ui.sql_tables_requested = true; // so that it runs as is in this page's DuckDB
            session.post(Level::Info, "Copied the audience as DuckDB SQL (tables \"users\" and \"events\")");
        } else {
            session.post(Level::Error, "No SQL: " + problem);
        }
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("DuckDB SQL that computes the same members over tables \"users\" and \"events\"");
    flow_same_line(button_width("Open in SQL tab"));
    if (ImGui::Button("Open in SQL tab")) {
        std::string sql, problem;
        if (audience_sql_text(session, st, &sql, &problem))
            ui.open_in_sql = sql;
        else
            session.post(Level::Error, "No SQL: " + problem);
    }
    flow_same_line(button_width("Export members"));
    if (ImGui::Button("Export members")) ImGui::OpenPopup("members_csv");
    if (ImGui::BeginPopup("members_csv")) {
        members_csv_popup(session, st, ui);
        ImGui::EndPopup();
    }
    flow_same_line(button_width("Download workspace"));
    if (ImGui::Button("Download workspace")) ui.export_workspace_requested = true;
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Every saved audience and mapping as one JSON file (no data)");
}

void draw_audiences(Session& session, AudienceState& st, UiState& ui) {
    if (session.model.users.size() == 0)
        ImGui::TextDisabled(
            "No mapped data yet: rules can be written, and are checked against the data once it is loaded.");
    ImGui::SetNextItemWidth(260 * ui.scale);
    if (ImGui::InputTextWithHint("##audience_name", "Audience name", &st.draft.name)) draft_changed(st);
    ImGui::SameLine();
    if (st.opened_id.empty())
        ImGui::TextDisabled("(not saved)");
    else
        ImGui::TextDisabled("(saved)");
    ImGui::SameLine(0, 24 * ui.scale);
    draw_size(session, st, ui);
    draw_actions(session, st, ui);
    if (st.replaced_draft) {
        ImGui::TextDisabled("Opened over \"%s\".", st.replaced_draft->name.c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton("Switch back")) restore_replaced_draft(st);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("The audience you were editing is kept: switch between it and the opened one");
    }
    ImGui::Separator();

    float left = std::floor(ImGui::GetContentRegionAvail().x * 0.62f);
    ImGui::BeginChild("##builder", ImVec2(left, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    for (const DefinitionError& e : st.errors)
        if (e.path == "$" || e.path == "segx" || e.path == "name" || e.path == "id")
            ImGui::TextColored(kErrorText, "%s", e.to_string().c_str());
    if (draw_rule_tree(session, st, st.draft.root)) draft_changed(st);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##audience_side", ImVec2(0, 0), true);
    if (ImGui::BeginTabBar("##audience_side_tabs")) {
        if (ImGui::BeginTabItem("Insight")) {
            draw_audience_insight(session, st, ui);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Overlap")) {
            draw_audience_overlap(session, st, ui);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::EndChild();
}

// ---- saved audiences in the rail ------------------------------------------------------------

void draw_audience_rail(Session& session, AudienceState& st, UiState& ui) {
    ImGui::Spacing();
    ImGui::TextDisabled("SAVED AUDIENCES");
    ImGui::Separator();
    if (session.workspace.saved.audiences.empty())
        ImGui::TextDisabled("None yet: build one in the Audiences tab.");
    int act_rename = -1, act_duplicate = -1, act_delete = -1;
    for (int i = 0; i < int(session.workspace.saved.audiences.size()); ++i) {
        const Audience& a = session.workspace.saved.audiences[size_t(i)];
        ImGui::PushID(a.id.c_str());
        bool open = st.opened_id == a.id;
        if (ui.renaming == i) {
            if (ImGui::IsWindowAppearing() || !ImGui::IsAnyItemActive()) ImGui::SetKeyboardFocusHere();
            ImGui::SetNextItemWidth(-1);
            if (ImGui::InputText(("##rename " + a.id).c_str(), &ui.rename_text,
                                 ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll)) {
                if (rename_saved(session, st, size_t(i), ui.rename_text)) ui.renaming = -1;
            } else if (ImGui::IsItemDeactivated() ||
                       ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
                ui.renaming = -1;
            }
        } else if (ImGui::Selectable((a.name + "##saved " + a.id).c_str(), open)) {
            open_saved(session, st, size_t(i));
        }
        if (open && ui.renaming != i) {
            if (ImGui::SmallButton(("Rename##" + a.id).c_str())) act_rename = i;
            ImGui::SameLine();
            if (ImGui::SmallButton(("Duplicate##" + a.id).c_str())) act_duplicate = i;
            ImGui::SameLine();
            if (ImGui::SmallButton(("Delete##" + a.id).c_str())) act_delete = i;
        }
        ImGui::PopID();
    }
    if (act_rename >= 0)
        ui.renaming = act_rename, ui.rename_text = session.workspace.saved.audiences[size_t(act_rename)].name;
    if (act_duplicate >= 0) duplicate_saved(session, size_t(act_duplicate));
    if (act_delete >= 0) delete_saved(session, st, size_t(act_delete)), ui.renaming = -1;
    if (!st.deleted.empty()) {
        std::string label = "Undo delete of \"" + st.deleted.back().audience.name + "\"";
        if (ImGui::SmallButton(label.c_str())) undo_delete(session, st);
    }
    // Saved definitions that do not read (another version's format, a damaged entry): kept as
    // stored until the user deletes them, never dropped behind their back.
    int remove = -1;
    for (int i = 0; i < int(session.workspace.unread.size()); ++i) {
        const UnreadDefinition& u = session.workspace.unread[size_t(i)];
        ImGui::PushID(i);
        ImGui::TextColored(kErrorText, "%s (does not read)", u.name.empty() ? u.id.c_str() : u.name.c_str());
        if (ImGui::IsItemHovered() && !u.errors.empty())
            ImGui::SetTooltip("%s", join_errors(u.errors).substr(0, 2000).c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton(("Delete##unread " + u.id).c_str())) remove = i;
        ImGui::PopID();
    }
    if (remove >= 0) {
        session.post(Level::Info, "Deleted the saved " + session.workspace.unread[size_t(remove)].kind +
                                      " \"" + session.workspace.unread[size_t(remove)].id +
                                      "\", which did not read");
        remove_unread(&session.workspace, size_t(remove));
    }
}

} // namespace segx
