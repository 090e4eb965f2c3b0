// Left rail: the demo notice, "Open files", and every source with its state.
#include "app/i18n/i18n.h"
#include "app/theme.h"
#include "app/ui.h"

#include "imgui.h"

#include <cmath>

namespace segx {

static void draw_demo_notice(const Session& session, UiState& ui) {
    const char* text = tr(S::demo_notice_text);
    const ImGuiStyle& st = ImGui::GetStyle();
    float wrap = ImGui::GetContentRegionAvail().x - 2 * st.WindowPadding.x;
    float h = ImGui::GetTextLineHeightWithSpacing() + ImGui::CalcTextSize(text, nullptr, false, wrap).y +
              ImGui::GetFrameHeightWithSpacing() + 2 * st.WindowPadding.y + st.ItemSpacing.y;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, kDemoNoticeBg);
    ImGui::BeginChild("##demo_notice", ImVec2(0, h), true, ImGuiWindowFlags_NoScrollbar);
    ImGui::TextUnformatted(tr(S::demo_notice_title));
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(kMutedText, "%s", text);
    ImGui::PopTextWrapPos();
    draw_demo_picker(session, ui);
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

static void draw_source_row(Session& session, int i, bool& cancel) {
    SourceFile& s = session.sources[size_t(i)];
    const Table* t = session.data.find(s.name);
    ImGui::PushID(i);
    if (ImGui::Selectable(s.name.c_str(), session.selected_source == i)) session.selected_source = i;
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::Text("%s", s.name.c_str());
        ImGui::TextUnformatted(trf(S::source_file_size, {format_bytes(s.bytes)}).c_str());
        if (t)
            ImGui::TextUnformatted(
                trf(S::source_rows_columns, {format_count(s.total_rows > 0 ? s.total_rows : double(t->rows)),
                                             format_count(double(t->columns.size()))})
                    .c_str());
        if (!s.format.empty())
            ImGui::Text("%s%s%s", s.format.c_str(), s.encoding.empty() ? "" : ", ", s.encoding.c_str());
        if (!s.applied.source.empty())
            ImGui::TextUnformatted(trf(S::source_mapped_as, {kind_word(s.applied.kind)}).c_str());
        if (s.demo) ImGui::TextUnformatted(tr(S::source_bundled_demo));
        ImGui::EndTooltip();
    }
    switch (s.state) {
        case LoadState::Loading: {
            std::string overlay = stage_text(s.stage) + "…";
            if (s.rows_per_second > 0)
                overlay += "  " + trf(S::rows_per_second, {format_count(std::round(s.rows_per_second))});
            ImGui::ProgressBar(s.progress, ImVec2(-1, 0), overlay.c_str());
            if (ImGui::SmallButton(label(S::cancel, "Cancel").c_str())) cancel = true;
            break;
        }
        case LoadState::Ready:
            if (t) {
                double rows = s.total_rows > 0 ? s.total_rows : double(t->rows);
                std::string r = trf(rows == 1 ? S::n_row : S::n_rows, {format_count(rows)});
                std::string c = trf(t->columns.size() == 1 ? S::n_column : S::n_columns,
                                    {format_count(double(t->columns.size()))});
                ImGui::TextColored(kMutedText, "%s · %s", r.c_str(), c.c_str());
                if (const RejectLog* log = session.rejects_of(s.name); log && log->rejected())
                    ImGui::TextColored(
                        kAttentionText, "%s",
                        trf(S::source_rows_rejected, {format_count(double(log->rejected()))}).c_str());
                else if (!s.mapping_problems.empty())
                    ImGui::TextColored(kAttentionText, "%s", tr(S::source_mapping_attention));
            }
            break;
        case LoadState::Failed:
            ImGui::PushStyleColor(ImGuiCol_Text, kErrorText);
            ImGui::PushTextWrapPos(0);
            ImGui::TextUnformatted(shown(s.error).c_str());
            ImGui::PopTextWrapPos();
            ImGui::PopStyleColor();
            break;
    }
    ImGui::Spacing();
    ImGui::PopID();
}

// Whether the loaded files are kept in this browser (web/kept_data.js), the control that forgets
// them, and how much may be kept (a workspace setting).
static void draw_kept_data(Session& session, UiState& ui) {
    const KeptData& k = session.kept;
    if (k.kept) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(
            kMutedText, "%s",
            trf(k.restored ? S::kept_restored : S::kept_here, {format_bytes(k.bytes)}).c_str());
        ImGui::PopTextWrapPos();
        if (ImGui::SmallButton(label(S::forget_data, "Forget data").c_str())) ui.forget_data_requested = true;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::forget_data_tip));
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(kMutedText, "%s", tr(S::keep_up_to));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90 * ui.scale);
    double mb = session.workspace.settings.keep_data_mb;
    if (ImGui::InputDouble("MB##keep_data_mb", &mb, 0, 0, "%.0f", ImGuiInputTextFlags_EnterReturnsTrue) &&
        mb >= 0 && mb <= 1048576 && mb != session.workspace.settings.keep_data_mb) {
        session.workspace.settings.keep_data_mb = mb;
        ++session.workspace.revision; // the page stores the workspace and keeps data accordingly
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::keep_up_to_tip));
    // The way back from a budget too small for any file (a refused file's message points here).
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(kMutedText, "%s", tr(S::rail_memory_budget));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90 * ui.scale);
    double budget = session.workspace.settings.memory_budget_mb;
    if (ImGui::InputDouble("MB##memory_budget_mb", &budget, 0, 0, "%.0f",
                           ImGuiInputTextFlags_EnterReturnsTrue) &&
        budget >= kMinMemoryBudgetMb && budget <= kMaxSettingMb &&
        budget != session.workspace.settings.memory_budget_mb) {
        session.workspace.settings.memory_budget_mb = budget;
        ++session.workspace.revision;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::rail_memory_budget_tip));
}

void draw_sources_rail(Session& session, UiState& ui) {
    if (session.has_demo()) draw_demo_notice(session, ui);
    if (ImGui::Button(label(S::open_files, "Open files").c_str(), ImVec2(-1, 0)))
        ui.open_files_requested = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::open_files_tip));
    ImGui::Spacing();
    ImGui::TextColored(kMutedText, "%s", tr(S::data_sources_heading));
    ImGui::Separator();
    if (session.sources.empty()) ImGui::TextColored(kMutedText, "%s", tr(S::no_files_yet));
    bool cancel = false;
    for (int i = 0; i < int(session.sources.size()); ++i) draw_source_row(session, i, cancel);
    if (cancel) ui.cancel_requested = true;
    draw_kept_data(session, ui);
}

} // namespace segx
