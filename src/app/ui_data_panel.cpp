// Data tab: the selected source's size, its columns with types, and a scrollable preview.
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

static void draw_columns_table(const Table& t, const std::vector<ColumnStats>& stats, UiState& ui) {
    ImGui::SetNextItemWidth(240 * ui.scale);
    ImGui::InputTextWithHint("##column_filter", "Filter columns", &ui.column_filter);
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                            ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
    float h = std::min(ImGui::GetTextLineHeightWithSpacing() * (float(t.columns.size()) + 1.6f), ImGui::GetContentRegionAvail().y * 0.4f);
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
        const ColumnStats st = i < stats.size() ? stats[i] : ColumnStats{};
        ImGui::TextUnformatted(format_count(double(st.nulls)).c_str());
        ImGui::TableNextColumn();
        if (c.type == ColumnType::String) ImGui::TextUnformatted(format_count(double(st.distinct)).c_str());
        else ImGui::TextDisabled("-");
    }
    ImGui::EndTable();
}

static void draw_preview(const Table& t) {
    int ncols = std::min(int(t.columns.size()), kMaxPreviewColumns);
    if (ncols < int(t.columns.size()))
        ImGui::TextDisabled("Showing the first %d of %zu columns.", ncols, t.columns.size());
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollX |
                            ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("##preview", ncols + 1, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("row");
    for (int c = 0; c < ncols; ++c) ImGui::TableSetupColumn(t.columns[size_t(c)].name.c_str());
    ImGui::TableHeadersRow();
    // Only the visible rows are formatted, so a preview of millions of rows costs one screenful.
    ImGuiListClipper clipper;
    clipper.Begin(int(std::min<size_t>(t.rows, size_t(INT32_MAX))));
    while (clipper.Step()) {
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%d", r + 1);
            for (int c = 0; c < ncols; ++c) {
                ImGui::TableNextColumn();
                const Column& col = t.columns[size_t(c)];
                if (col.is_null(size_t(r))) ImGui::TextDisabled("null");
                else ImGui::TextUnformatted(col.format(size_t(r)).c_str());
            }
        }
    }
    ImGui::EndTable();
}

void draw_data_panel(Session& session, UiState& ui) {
    if (session.selected_source < 0 || session.selected_source >= int(session.sources.size())) {
        ImGui::Spacing();
        ImGui::TextDisabled("Drop CSV files anywhere on the page, or use \"Open files\".");
        return;
    }
    const SourceFile& s = session.sources[size_t(session.selected_source)];
    const Table* t = session.data.find(s.name);
    ImGui::TextUnformatted(s.name.c_str());
    if (!t) {
        if (s.state == LoadState::Loading) ImGui::TextDisabled("Loading (%s)…", s.stage.c_str());
        else if (s.state == LoadState::Failed) ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "%s", s.error.c_str());
        return;
    }
    ImGui::TextDisabled("%s %s · %zu %s · %s file · %s in memory", format_count(double(t->rows)).c_str(), t->rows == 1 ? "row" : "rows",
                        t->columns.size(), t->columns.size() == 1 ? "column" : "columns", format_bytes(s.bytes).c_str(), format_bytes(double(t->memory_bytes())).c_str());
    ImGui::Spacing();
    draw_columns_table(*t, s.stats, ui);
    ImGui::Spacing();
    ImGui::TextUnformatted("Preview");
    draw_preview(*t);
}

}  // namespace segx
