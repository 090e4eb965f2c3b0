#include "app/sql/ui_sql.h"

#include "app/i18n/i18n.h"
#include "app/theme.h"
#include "app/widget_registry.h"
#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"

#include <algorithm>
#include <cstdio>

namespace segx {

namespace {

double now_ms() { return ImGui::GetTime() * 1000.0; }

void submit(App& app, UiState& ui) {
    SqlState& st = app.sql;
    if (st.status == SqlStatus::Running) {
        ui.sql_cancel = st.run_id; // a new run replaces the one running
        sql_cancel(st);
    }
    if (sql_submit(st, app.session.workspace, now_ms())) ui.sql_run = {st.run_id, st.ran_text};
}

void draw_toolbar(App& app, UiState& ui, bool ctrl_enter) {
    SqlState& st = app.sql;
    if (ImGui::Button(label(S::sql_run, "Run").c_str()) || ctrl_enter) submit(app, ui);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", trf(S::sql_run_tip, {"Ctrl+Enter"}).c_str());
    ImGui::SameLine();
    ImGui::BeginDisabled(st.status != SqlStatus::Running);
    if (ImGui::Button(label(S::sql_cancel, "Cancel").c_str())) {
        ui.sql_cancel = st.run_id;
        sql_cancel(st);
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    const auto& history = app.session.workspace.sql_history;
    ImGui::SetNextItemWidth(220 * ui.scale);
    if (begin_combo("##sql_history", tr(history.empty() ? S::sql_history_empty : S::sql_history))) {
        for (size_t i = 0; i < history.size(); ++i) {
            std::string label = history[i].substr(0, 120);
            std::replace(label.begin(), label.end(), '\n', ' ');
            if (ImGui::Selectable((label + "##h" + std::to_string(i)).c_str())) st.text = history[i];
            if (ImGui::IsItemHovered() && history[i].size() > 120)
                ImGui::SetTooltip("%s", history[i].c_str());
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(st.status != SqlStatus::Done || st.result.columns.empty());
    if (ImGui::Button(label(S::sql_copy, "Copy").c_str())) {
        ImGui::SetClipboardText(sql_result_tsv(st).c_str());
        app.session.post(Level::Info, trf(S::sql_copied_rows, {format_count(double(st.result.rows))}));
    }
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", tr(S::sql_copy_tip));
    ImGui::SameLine();
    if (ImGui::Button(label(S::sql_download_csv, "Download CSV").c_str())) ui.sql_csv = st.ran_text;
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", tr(S::sql_download_csv_tip));
    ImGui::EndDisabled();
    ImGui::SameLine();
    std::string line;
    char n[32];
    if (st.status == SqlStatus::Running) {
        std::snprintf(n, sizeof n, "%.1f", (now_ms() - st.started_ms) / 1000.0);
        line = trf(S::sql_running, {n});
    } else if (st.status == SqlStatus::Done) {
        std::snprintf(n, sizeof n, "%.0f", st.elapsed_ms);
        line = trf(st.total_rows == 1 ? S::sql_row_count_one : S::sql_row_count,
                   {format_count(double(st.total_rows)), n});
    } else if (st.status == SqlStatus::Cancelled) {
        line = tr(S::sql_cancelled);
    }
    ImGui::TextDisabled("%s", line.c_str());
}

// DuckDB's message, and the query's line it points at with the place underlined.
void draw_error(const SqlState& st) {
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorText);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(st.error.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    const SqlErrorPlace& p = st.error_place;
    if (p.line < 1) return;
    size_t begin = 0;
    for (int l = 1; l < p.line && begin != std::string::npos; ++l) {
        begin = st.ran_text.find('\n', begin);
        if (begin != std::string::npos) ++begin;
    }
    if (begin == std::string::npos) return;
    size_t end = st.ran_text.find('\n', begin);
    std::string text = st.ran_text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    ImGui::TextUnformatted(
        trf(S::sql_error_place, {std::to_string(p.line), std::to_string(p.column)}).c_str());
    ImGui::SameLine();
    size_t at = p.column > 0 ? std::min(text.size(), size_t(p.column - 1)) : text.size();
    ImGui::TextUnformatted(text.c_str(), text.c_str() + at);
    if (at < text.size()) {
        // The word DuckDB points at, in the error colour and underlined.
        size_t stop = at + 1;
        while (stop < text.size() && text[stop] != ' ' && text[stop] != ',' && text[stop] != '(' &&
               text[stop] != ')')
            ++stop;
        ImGui::SameLine(0, 0);
        ImVec2 a = ImGui::GetCursorScreenPos();
        ImGui::TextColored(kErrorText, "%.*s", int(stop - at), text.c_str() + at);
        ImVec2 size = ImGui::CalcTextSize(text.c_str() + at, text.c_str() + stop);
        ImGui::GetWindowDrawList()->AddLine(ImVec2(a.x, a.y + size.y), ImVec2(a.x + size.x, a.y + size.y),
                                            ImGui::GetColorU32(kErrorText), 2);
        ImGui::SameLine(0, 0);
        ImGui::TextUnformatted(text.c_str() + stop, text.c_str() + text.size());
    }
}

void draw_result(SqlState& st) {
    const Table& t = st.result;
    int ncols = std::min(int(t.columns.size()), 63);
    if (ncols == 0) return;
    if (st.total_rows > t.rows)
        ImGui::TextDisabled("%s", trf(S::sql_showing_rows,
                                      {format_count(double(t.rows)), format_count(double(st.total_rows))})
                                      .c_str());
    if (ncols < int(t.columns.size()))
        ImGui::TextDisabled(
            "%s",
            trf(S::sql_showing_columns, {std::to_string(ncols), std::to_string(t.columns.size())}).c_str());
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollX |
                            ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable |
                            ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Sortable |
                            ImGuiTableFlags_SortTristate;
    if (!ImGui::BeginTable("##sql_result", ncols + 1, flags, ImVec2(0, ImGui::GetContentRegionAvail().y)))
        return;
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_NoSort);
    for (int c = 0; c < ncols; ++c) ImGui::TableSetupColumn(t.columns[size_t(c)].name.c_str());
    // Headers one by one, each recorded for the browser tests ("##sql.header.<name>").
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int c = 0; c <= ncols; ++c) {
        ImGui::TableSetColumnIndex(c);
        ImGui::TableHeader(ImGui::TableGetColumnName(c));
        if (c > 0) widget_registry_note_last_item(("##sql.header." + t.columns[size_t(c - 1)].name).c_str());
    }
    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
        if (specs->SpecsCount > 0)
            sql_sort(st, specs->Specs[0].ColumnIndex - 1,
                     specs->Specs[0].SortDirection == ImGuiSortDirection_Descending);
        else
            sql_sort(st, -1, false);
        specs->SpecsDirty = false;
    }
    ImGuiListClipper clipper;
    clipper.Begin(int(std::min<size_t>(st.order.size(), size_t(INT32_MAX))));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            uint32_t r = st.order[size_t(i)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%d", i + 1);
            for (int c = 0; c < ncols; ++c) {
                ImGui::TableNextColumn();
                const Column& col = t.columns[size_t(c)];
                if (col.is_null(r))
                    ImGui::TextDisabled("%s", tr(S::sql_null));
                else
                    ImGui::TextUnformatted(col.format(r).c_str());
            }
        }
    }
    ImGui::EndTable();
}

} // namespace

void open_in_sql_tab(App& app, UiState& ui, const std::string& sql) {
    app.sql.text = sql;
    ui.select_tab = "SQL";
}

void draw_sql(App& app, UiState& ui) {
    SqlState& st = app.sql;
    ImGui::TextDisabled("%s", trf(S::sql_intro, {"\"users\"", "\"events\"", "\"events.csv\""}).c_str());
    float editor_h =
        std::max(6.0f * ImGui::GetTextLineHeightWithSpacing(), ImGui::GetContentRegionAvail().y * 0.3f);
    bool ctrl_enter =
        ImGui::InputTextMultiline("##sql_text", &st.text, ImVec2(-1, editor_h),
                                  ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AllowTabInput);
    draw_toolbar(app, ui, ctrl_enter);
    if (st.status == SqlStatus::Failed) draw_error(st);
    if (st.status == SqlStatus::Done || (st.status != SqlStatus::Failed && !st.result.columns.empty()))
        draw_result(st);
}

} // namespace segx
