// Data tab: the selected source's size, its columns with types, and a scrollable preview.
#include "app/i18n/i18n.h"
#include "app/theme.h"
#include "app/ui.h"
#include "core/lang/messages.h"

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
    ImGui::InputTextWithHint("##column_filter", tr(S::filter_columns), &ui.column_filter);
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                            ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
    float h = std::min(ImGui::GetTextLineHeightWithSpacing() * (float(t.columns.size()) + 1.6f),
                       ImGui::GetContentRegionAvail().y * 0.4f);
    if (!ImGui::BeginTable("##columns", 5, flags, ImVec2(0, h))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    // Widths fit the widest value, so no type name or count is ever cut.
    float name_w = ImGui::CalcTextSize(tr(S::col_column)).x;
    for (const Column& c : t.columns) name_w = std::max(name_w, ImGui::CalcTextSize(c.name.c_str()).x);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("0000").x);
    ImGui::TableSetupColumn(label(S::col_column, "Column").c_str(), ImGuiTableColumnFlags_WidthFixed,
                            std::min(name_w, 400 * ui.scale));
    ImGui::TableSetupColumn(label(S::col_type, "Type").c_str(), ImGuiTableColumnFlags_WidthFixed,
                            ImGui::CalcTextSize("TIMESTAMP").x);
    ImGui::TableSetupColumn(label(S::col_nulls, "Nulls").c_str(), ImGuiTableColumnFlags_WidthFixed,
                            ImGui::CalcTextSize("00,000,000").x);
    ImGui::TableSetupColumn(label(S::col_distinct, "Distinct").c_str(), ImGuiTableColumnFlags_WidthStretch);
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
        ImGui::TextDisabled("%s", trf(S::showing_first_columns,
                                      {std::to_string(ncols), format_count(double(t.columns.size()))})
                                      .c_str());
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollX |
                            ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable |
                            ImGuiTableFlags_SizingFixedFit;
    int first = row_numbers ? 1 : 0;
    if (!ImGui::BeginTable(id, ncols + first, flags, ImVec2(0, ImGui::GetContentRegionAvail().y))) return;
    ImGui::TableSetupScrollFreeze(first, 1);
    if (row_numbers) ImGui::TableSetupColumn(label(S::col_row, "row").c_str());
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
                                            {"gb18030", "GBK / GB18030"},
                                            {"windows-1252", "Windows-1252"}};

static std::string encoding_text(const char* id, const char* name) {
    if (std::string(id) == "gb18030") return trf(S::encoding_chinese, {name});
    if (std::string(id) == "windows-1252") return trf(S::encoding_latin, {name});
    return name;
}

static const char* encoding_label(const std::string& id) {
    // The two with a language note show it in the active language: "GBK / GB18030 (Chinese)".
    static std::string shown;
    for (const auto& e : kEncodings)
        if (id == e[0]) return (shown = encoding_text(e[0], e[1])).c_str();
    return id.c_str();
}

static void draw_file_line(SourceFile& s, UiState& ui) {
    ImGui::TextDisabled("%s", trf(S::file_format, {s.format.empty() ? "?" : s.format}).c_str());
    if (s.format != "parquet" && !s.encoding.empty()) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(220 * ui.scale);
        if (begin_combo(label(S::encoding, "Encoding").c_str(), encoding_label(s.encoding))) {
            for (const auto& e : kEncodings)
                if (ImGui::Selectable((encoding_text(e[0], e[1]) + "###" + e[0]).c_str(),
                                      s.encoding == e[0]) &&
                    s.encoding != e[0])
                    ui.reload_source = s.name, ui.reload_encoding = e[0];
            ImGui::EndCombo();
        }
        if (!s.encoding_note.empty()) {
            ImGui::SameLine();
            ImGui::TextDisabled("(%s)", shown(s.encoding_note).c_str());
        }
    }
    ImGui::SameLine();
    if (ImGui::SmallButton(label(S::remove_file, "Remove file").c_str())) ui.remove_source = s.name;
}

static void draw_rejects(const Session& session, const SourceFile& s) {
    const RejectLog* log = session.rejects_of(s.name);
    if (!log) {
        ImGui::TextDisabled("%s", tr(S::rejects_no_rows));
        return;
    }
    ImGui::TextUnformatted(
        trf(S::rejects_summary, {format_count(double(log->read)), format_count(double(log->kept)),
                                 format_count(double(log->rejected()))})
            .c_str());
    if (log->reasons.empty()) {
        ImGui::TextDisabled("%s", tr(S::rejects_none));
        return;
    }
    for (const RejectReason& r : log->reasons) {
        ImGui::Spacing();
        ImGui::TextColored(
            kRejectReasonText, "%s",
            trf(S::reject_reason_rows, {message_text(r.reason, language()), format_count(double(r.count))})
                .c_str());
        ImGui::Indent();
        for (const std::string& e : r.examples) ImGui::TextUnformatted(e.c_str());
        ImGui::Unindent();
    }
}

void draw_data_panel(Session& session, UiState& ui) {
    if (session.selected_source < 0 || session.selected_source >= int(session.sources.size())) {
        ImGui::Spacing();
        ImGui::PushTextWrapPos(0);
        ImGui::TextDisabled("%s", tr(S::data_empty));
        ImGui::PopTextWrapPos();
        return;
    }
    SourceFile& s = session.sources[size_t(session.selected_source)];
    const Table* t = session.data.find(s.name);
    ImGui::TextUnformatted(s.name.c_str());
    if (!t) {
        if (s.state == LoadState::Loading)
            ImGui::TextDisabled("%s", trf(S::loading_stage, {stage_text(s.stage)}).c_str());
        else if (s.state == LoadState::Failed)
            ImGui::TextColored(kErrorText, "%s", shown(s.error).c_str());
        if (s.state == LoadState::Failed && ImGui::SmallButton(label(S::remove_file, "Remove file").c_str()))
            ui.remove_source = s.name;
        return;
    }
    double rows = s.total_rows > 0 ? s.total_rows : double(t->rows);
    std::string rows_text = trf(rows == 1 ? S::n_row : S::n_rows, {format_count(rows)});
    std::string cols_text =
        trf(t->columns.size() == 1 ? S::n_column : S::n_columns, {format_count(double(t->columns.size()))});
    ImGui::TextDisabled("%s", trf(S::file_summary, {rows_text, cols_text, format_bytes(s.bytes),
                                                    format_count(double(t->rows))})
                                  .c_str());
    draw_file_line(s, ui);
    if (ImGui::BeginTabBar("##source_tabs")) {
        if (ImGui::BeginTabItem(label(S::tab_columns, "Columns").c_str())) {
            // The file's null and distinct counts are asked for when first shown (a scan of the
            // whole table in DuckDB, kept out of the load).
            if (s.stats.empty() && !s.stats_requested && s.state == LoadState::Ready && !t->columns.empty()) {
                ui.stats_request = s.name;
                s.stats_requested = true;
            }
            draw_columns_table(*t, s.stats, s.stats_exact, ui);
            ImGui::Spacing();
            ImGui::TextUnformatted(tr(S::preview));
            draw_table_rows("##preview", *t, true);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(label(S::tab_mapping, "Mapping").c_str())) {
            draw_mapping_panel(session, s, *t, ui);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(label(S::derived_tab, "derived").c_str())) {
            draw_derived_attributes(session, ui);
            ImGui::EndTabItem();
        }
        const RejectLog* log = session.rejects_of(s.name);
        std::string rejects =
            log && log->rejected()
                ? trf(S::tab_rejected_count, {format_count(double(log->rejected()))}) + "###rejects"
                : std::string(tr(S::tab_rejected)) + "###rejects";
        if (ImGui::BeginTabItem(rejects.c_str())) {
            draw_rejects(session, s);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
}

} // namespace segx
