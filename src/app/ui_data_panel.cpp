// Data tab: the selected source's size, its columns with types, and a scrollable preview.
#include "app/i18n/i18n.h"
#include "app/theme.h"
#include "app/ui.h"

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"

#include <algorithm>
#include <cctype>

namespace segx {

// Dear ImGui 1.86 tables hold at most 64 columns; the row number takes one.
static constexpr int kMaxPreviewColumns = 63;

static bool name_matches(const std::string& name, const std::string& filter) {
    if (filter.empty()) return true;
    auto lower = [](unsigned char c) { return c < 128 ? char(std::tolower(c)) : char(c); };
    auto it = std::search(name.begin(), name.end(), filter.begin(), filter.end(),
                          [&](char a, char b) { return lower((unsigned char)a) == lower((unsigned char)b); });
    return it != name.end();
}

static void draw_columns_table(const Table& t, const std::vector<ColumnStats>& stats, bool exact,
                               UiState& ui) {
    ImGui::SetNextItemWidth(240 * ui.scale);
    ImGui::InputTextWithHint("##column_filter", "Filter columns", &ui.column_filter);
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                            ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
    float h = std::min(ImGui::GetTextLineHeightWithSpacing() * (float(t.columns.size()) + 1.6f),
                       ImGui::GetContentRegionAvail().y * 0.4f);
    if (!ImGui::BeginTable("##columns", 5, flags, ImVec2(0, h))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    // Widths fit the widest value, so no type name or count is ever cut.
    float name_w = ImGui::CalcTextSize("Column").x;
    for (const Column& c : t.columns) name_w = std::max(name_w, ImGui::CalcTextSize(c.name.c_str()).x);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("0000").x);
    ImGui::TableSetupColumn("Column", ImGuiTableColumnFlags_WidthFixed, std::min(name_w, 400 * ui.scale));
    ImGui::TableSetupColumn("Type", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("TIMESTAMP").x);
    ImGui::TableSetupColumn("Nulls", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("00,000,000").x);
    ImGui::TableSetupColumn("Distinct", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < t.columns.size(); ++i) {
        const Column& c = t.columns[i];
        if (!name_matches(c.name, ui.column_filter)) continue;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%zu", i + 1);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(c.name.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(type_name(c.type));
        ImGui::TableNextColumn();
        if (i >= stats.size()) { // DuckDB's counts of the whole file have not arrived yet
            ImGui::TextDisabled("-");
            ImGui::TableNextColumn();
            ImGui::TextDisabled("-");
            continue;
        }
        const ColumnStats& st = stats[i];
        ImGui::TextUnformatted(format_count(double(st.nulls)).c_str());
        ImGui::TableNextColumn();
        if (c.type == ColumnType::String)
            ImGui::Text("%s%s", exact ? "" : "≈ ", format_count(double(st.distinct)).c_str());
        else
            ImGui::TextDisabled("-");
    }
    ImGui::EndTable();
}

void draw_table_rows(const char* id, const Table& t, bool row_numbers) {
    int ncols = std::min(int(t.columns.size()), kMaxPreviewColumns);
    if (ncols == 0) return;
    if (ncols < int(t.columns.size()))
        ImGui::TextDisabled("Showing the first %d of %zu columns.", ncols, t.columns.size());
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollX |
                            ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable |
                            ImGuiTableFlags_SizingFixedFit;
    int first = row_numbers ? 1 : 0;
    if (!ImGui::BeginTable(id, ncols + first, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
    ImGui::TableSetupScrollFreeze(first, 1);
    if (row_numbers) ImGui::TableSetupColumn("row");
    for (int c = 0; c < ncols; ++c) ImGui::TableSetupColumn(t.columns[size_t(c)].name.c_str());
    ImGui::TableHeadersRow();
    // Only the visible rows are formatted, so a long table costs one screenful per frame.
    ImGuiListClipper clipper;
    clipper.Begin(int(std::min<size_t>(t.rows, size_t(INT32_MAX))));
    while (clipper.Step()) {
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            ImGui::TableNextRow();
            if (row_numbers) {
                ImGui::TableNextColumn();
                ImGui::TextDisabled("%d", r + 1);
            }
            for (int c = 0; c < ncols; ++c) {
                ImGui::TableNextColumn();
                const Column& col = t.columns[size_t(c)];
                if (col.is_null(size_t(r)))
                    ImGui::TextDisabled("null");
                else
                    ImGui::TextUnformatted(col.format(size_t(r)).c_str());
            }
        }
    }
    ImGui::EndTable();
}

static const char* const kEncodings[][2] = {{"utf-8", "UTF-8"},
                                            {"utf-16le", "UTF-16 LE"},
                                            {"utf-16be", "UTF-16 BE"},
                                            {"gb18030", "GBK / GB18030 (Chinese)"},
                                            {"windows-1252", "Windows-1252 (Latin)"}};

static const char* encoding_label(const std::string& id) {
    for (const auto& e : kEncodings)
        if (id == e[0]) return e[1];
    return id.c_str();
}

static void draw_file_line(SourceFile& s, UiState& ui) {
    ImGui::TextDisabled("Format: %s", s.format.empty() ? "?" : s.format.c_str());
    if (s.format != "parquet" && !s.encoding.empty()) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(220 * ui.scale);
        if (begin_combo("Encoding", encoding_label(s.encoding))) {
            for (const auto& e : kEncodings)
                if (ImGui::Selectable(e[1], s.encoding == e[0]) && s.encoding != e[0])
                    ui.reload_source = s.name, ui.reload_encoding = e[0];
            ImGui::EndCombo();
        }
        if (!s.encoding_note.empty()) {
            ImGui::SameLine();
            ImGui::TextDisabled("(%s)", s.encoding_note.c_str());
        }
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("Remove file")) ui.remove_source = s.name;
}

static void draw_rejects(const Session& session, const SourceFile& s) {
    const RejectLog* log = session.rejects_of(s.name);
    if (!log) {
        ImGui::TextDisabled("No mapped rows yet: check the Mapping tab.");
        return;
    }
    ImGui::Text("%s rows read, %s kept, %s rejected", format_count(double(log->read)).c_str(),
                format_count(double(log->kept)).c_str(), format_count(double(log->rejected())).c_str());
    if (log->reasons.empty()) {
        ImGui::TextDisabled("Every row was kept.");
        return;
    }
    for (const RejectReason& r : log->reasons) {
        ImGui::Spacing();
        ImGui::TextColored(kRejectReasonText, "%s: %s rows", r.reason.c_str(),
                           format_count(double(r.count)).c_str());
        ImGui::Indent();
        for (const std::string& e : r.examples) ImGui::TextUnformatted(e.c_str());
        ImGui::Unindent();
    }
}

void draw_data_panel(Session& session, UiState& ui) {
    if (session.selected_source < 0 || session.selected_source >= int(session.sources.size())) {
        ImGui::Spacing();
        ImGui::TextDisabled(
            "Drop CSV, TSV, JSON or Parquet files anywhere on the page, or use \"Open files\".");
        return;
    }
    SourceFile& s = session.sources[size_t(session.selected_source)];
    const Table* t = session.data.find(s.name);
    ImGui::TextUnformatted(s.name.c_str());
    if (!t) {
        if (s.state == LoadState::Loading)
            ImGui::TextDisabled("Loading (%s)…", s.stage.c_str());
        else if (s.state == LoadState::Failed)
            ImGui::TextColored(kErrorText, "%s", s.error.c_str());
        if (s.state == LoadState::Failed && ImGui::SmallButton("Remove file")) ui.remove_source = s.name;
        return;
    }
    double rows = s.total_rows > 0 ? s.total_rows : double(t->rows);
    ImGui::TextDisabled("%s %s · %zu %s · %s file · preview of the first %s rows", format_count(rows).c_str(),
                        rows == 1 ? "row" : "rows", t->columns.size(),
                        t->columns.size() == 1 ? "column" : "columns", format_bytes(s.bytes).c_str(),
                        format_count(double(t->rows)).c_str());
    draw_file_line(s, ui);
    if (ImGui::BeginTabBar("##source_tabs")) {
        if (ImGui::BeginTabItem("Columns")) {
            draw_columns_table(*t, s.stats, s.stats_exact, ui);
            ImGui::Spacing();
            ImGui::TextUnformatted("Preview");
            draw_table_rows("##preview", *t, true);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Mapping")) {
            draw_mapping_panel(session, s, *t, ui);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(label(S::derived_tab, "derived").c_str())) {
            draw_derived_attributes(session, ui);
            ImGui::EndTabItem();
        }
        const RejectLog* log = session.rejects_of(s.name);
        std::string label = log && log->rejected()
                                ? "Rejected rows (" + format_count(double(log->rejected())) + ")###rejects"
                                : "Rejected rows###rejects";
        if (ImGui::BeginTabItem(label.c_str())) {
            draw_rejects(session, s);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
}

} // namespace segx
