// Audiences tab: the draft's name and live size, the actions that save, share and export it,
// the rule tree on the left, and its insight and overlap on the right.
#include "app/audiences/ui_audience.h"
#include "app/i18n/i18n.h"
#include "app/theme.h"
#include "core/lang/messages.h"

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"

#include <algorithm>
#include <cstdio>

namespace segx {

static void draw_size(const Session& session, const AudienceState& st, const UiState& ui) {
    if (evaluation_pending(session, st)) {
        // Long evaluations run a slice per frame (audience_state.h): the page stays live.
        ImGui::TextDisabled("%s", tr(S::evaluating));
        ImGui::SameLine();
        ImGui::ProgressBar(st.job.progress(), ImVec2(120 * ui.scale, ImGui::GetTextLineHeight()), "");
        return;
    }
    if (!st.errors.empty()) {
        ImGui::TextColored(kErrorText, "%s",
                           trf(st.errors.size() == 1 ? S::one_problem_to_fix : S::problems_to_fix,
                               {format_count(double(st.errors.size()))})
                               .c_str());
        return;
    }
    double share = st.users ? double(st.size) / double(st.users) : 0.0;
    ImGui::TextUnformatted(trf(S::n_users, {format_count(double(st.size))}).c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("%s",
                        trf(S::share_of, {format_percent(share, 1), format_count(double(st.users))}).c_str());
    ImGui::SameLine();
    ImGui::ProgressBar(float(share), ImVec2(120 * ui.scale, ImGui::GetTextLineHeight()), "");
    ImGui::SameLine();
    ImGui::TextDisabled("%.1f ms", st.eval_ms);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::eval_time_tip));
}

static void members_csv_popup(Session& session, const AudienceState& st, UiState& ui) {
    if (!ui.csv_attributes_set) {
        ui.csv_attributes.clear();
        for (const Column& c : session.model.attributes) ui.csv_attributes.push_back(c.name);
    }
    ImGui::TextDisabled("%s", trf(S::csv_columns_besides, {"user_id"}).c_str());
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
    if (ImGui::Button(label(S::download_csv, "Download CSV").c_str())) {
        // Columns in the model's order, whatever order they were ticked in.
        std::vector<std::string> chosen;
        for (const Column& c : session.model.attributes)
            if (std::find(ui.csv_attributes.begin(), ui.csv_attributes.end(), c.name) !=
                ui.csv_attributes.end())
                chosen.push_back(c.name);
        ui.download = {file_name_for(st.draft.name, "-members.csv"), "text/csv;charset=utf-8",
                       members_csv_text(session, st, chosen)};
        session.post(Level::Info, trf(S::exported_members, {format_count(double(st.size))}));
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
}

static void draw_actions(Session& session, AudienceState& st, UiState& ui) {
    // Each button: its label in the active language, its id the English label tests know.
    auto button = [](S key, const char* id) {
        std::string l = label(key, id);
        flow_same_line(button_width(l.c_str()));
        return ImGui::Button(l.c_str());
    };
    if (ImGui::Button(label(S::save, "Save").c_str())) save_draft(session, st, false);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", tr(st.opened_id.empty() ? S::save_tip_new : S::save_tip_saved));
    ImGui::BeginDisabled(st.opened_id.empty());
    if (button(S::save_as_new, "Save as new")) save_draft(session, st, true);
    ImGui::EndDisabled();
    if (button(S::new_audience, "New")) new_draft(st);
    flow_same_line(ImGui::CalcTextSize("|").x);
    ImGui::TextDisabled("|");
    if (button(S::download_json, "Download JSON"))
        ui.download = {file_name_for(st.draft.name, ".segx.json"), "application/json", draft_json_text(st)};
    if (button(S::import_json, "Import JSON")) ui.import_requested = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::import_json_tip));
    if (button(S::copy_link, "Copy link")) ui.share_request = draft_json_text(st);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::copy_link_tip));
    if (button(S::copy_sql, "Copy SQL")) {
        std::string sql, problem;
        if (audience_sql_text(session, st, &sql, &problem)) {
            ImGui::SetClipboardText(sql.c_str());
            ui.sql_tables_requested = true; // so that it runs as is in this page's DuckDB
            session.post(Level::Info, trf(S::copied_audience_sql, {"\"users\"", "\"events\""}));
        } else {
            session.post(Level::Error, trf(S::no_sql, {problem}));
        }
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", trf(S::copy_sql_tip, {"\"users\"", "\"events\""}).c_str());
    if (button(S::open_in_sql_tab, "Open in SQL tab")) {
        std::string sql, problem;
        if (audience_sql_text(session, st, &sql, &problem))
            ui.open_in_sql = sql;
        else
            session.post(Level::Error, trf(S::no_sql, {problem}));
    }
    if (button(S::export_members, "Export members")) ImGui::OpenPopup("members_csv");
    if (ImGui::BeginPopup("members_csv")) {
        members_csv_popup(session, st, ui);
        ImGui::EndPopup();
    }
    if (button(S::download_workspace, "Download workspace")) ui.export_workspace_requested = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::download_workspace_tip));
}

void draw_audiences(Session& session, AudienceState& st, UiState& ui) {
    if (session.model.users.size() == 0) ImGui::TextDisabled("%s", tr(S::audiences_no_data));
    ImGui::SetNextItemWidth(260 * ui.scale);
    if (ImGui::InputTextWithHint("##audience_name", tr(S::audience_name_hint), &st.draft.name))
        draft_changed(st);
    ImGui::SameLine();
    if (st.opened_id.empty())
        ImGui::TextDisabled("%s", tr(S::not_saved));
    else
        ImGui::TextDisabled("%s", tr(S::saved_mark));
    ImGui::SameLine(0, 24 * ui.scale);
    draw_size(session, st, ui);
    draw_actions(session, st, ui);
    if (st.replaced_draft) {
        ImGui::TextDisabled("%s", trf(S::opened_over, {st.replaced_draft->name}).c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton(label(S::switch_back, "Switch back").c_str())) restore_replaced_draft(st);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::switch_back_tip));
    }
    ImGui::Separator();

    float left = std::floor(ImGui::GetContentRegionAvail().x * 0.62f);
    ImGui::BeginChild("##builder", ImVec2(left, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    for (const DefinitionError& e : st.errors)
        if (e.path == "$" || e.path == "segx" || e.path == "name" || e.path == "id")
            ImGui::TextColored(kErrorText, "%s", error_line(e, language()).c_str());
    if (draw_rule_tree(session, st, st.draft.root)) draft_changed(st);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##audience_side", ImVec2(0, 0), true);
    if (ImGui::BeginTabBar("##audience_side_tabs")) {
        if (ImGui::BeginTabItem(label(S::tab_insight, "Insight").c_str())) {
            draw_audience_insight(session, st, ui);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(label(S::tab_overlap, "Overlap").c_str())) {
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
    ImGui::TextDisabled("%s", tr(S::saved_audiences_heading));
    ImGui::Separator();
    if (session.workspace.saved.audiences.empty()) ImGui::TextDisabled("%s", tr(S::saved_audiences_none));
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
            if (ImGui::SmallButton(label(S::rename, "Rename##" + a.id).c_str())) act_rename = i;
            ImGui::SameLine();
            if (ImGui::SmallButton(label(S::duplicate, "Duplicate##" + a.id).c_str())) act_duplicate = i;
            ImGui::SameLine();
            if (ImGui::SmallButton(label(S::delete_, "Delete##" + a.id).c_str())) act_delete = i;
        }
        ImGui::PopID();
    }
    if (act_rename >= 0)
        ui.renaming = act_rename, ui.rename_text = session.workspace.saved.audiences[size_t(act_rename)].name;
    if (act_duplicate >= 0) duplicate_saved(session, size_t(act_duplicate));
    if (act_delete >= 0) delete_saved(session, st, size_t(act_delete)), ui.renaming = -1;
    if (!st.deleted.empty()) {
        std::string undo = trf(S::undo_delete, {st.deleted.back().audience.name}) + "###undo_delete";
        if (ImGui::SmallButton(undo.c_str())) undo_delete(session, st);
    }
    // Saved definitions that do not read (another version's format, a damaged entry): kept as
    // stored until the user deletes them, never dropped behind their back.
    int remove = -1;
    for (int i = 0; i < int(session.workspace.unread.size()); ++i) {
        const UnreadDefinition& u = session.workspace.unread[size_t(i)];
        ImGui::PushID(i);
        ImGui::TextColored(kErrorText, "%s", trf(S::does_not_read, {u.name.empty() ? u.id : u.name}).c_str());
        if (ImGui::IsItemHovered() && !u.errors.empty())
            ImGui::SetTooltip("%s", join_errors(u.errors).substr(0, 2000).c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton(label(S::delete_, "Delete##unread " + u.id).c_str())) remove = i;
        ImGui::PopID();
    }
    if (remove >= 0) {
        const UnreadDefinition& u = session.workspace.unread[size_t(remove)];
        session.post(Level::Info, trf(S::deleted_unread, {definition_kind_word(u.kind), u.id}));
        remove_unread(&session.workspace, size_t(remove));
    }
}

} // namespace segx
