// Left rail: the demo notice, "Open files", and every source with its state.
#include "app/i18n/i18n.h"
#include "app/theme.h"
#include "app/ui.h"

#include "imgui.h"

namespace segx {

static void draw_demo_notice(const Session& session, UiState& ui) {
    const char* text =
        "A generated online shop. Drop your own files (CSV, JSON, Parquet) anywhere to replace it.";
    const ImGuiStyle& st = ImGui::GetStyle();
    float wrap = ImGui::GetContentRegionAvail().x - 2 * st.WindowPadding.x;
    float h = ImGui::GetTextLineHeightWithSpacing() + ImGui::CalcTextSize(text, nullptr, false, wrap).y +
              ImGui::GetFrameHeightWithSpacing() + 2 * st.WindowPadding.y + st.ItemSpacing.y;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, kDemoNoticeBg);
    ImGui::BeginChild("##demo_notice", ImVec2(0, h), true, ImGuiWindowFlags_NoScrollbar);
    ImGui::TextUnformatted("Demo data");
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
    std::string label = s.name;
    if (ImGui::Selectable(label.c_str(), session.selected_source == i)) session.selected_source = i;
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::Text("%s", s.name.c_str());
        ImGui::Text("File size: %s", format_bytes(s.bytes).c_str());
        if (t)
            ImGui::Text("%s rows, %zu columns",
                        format_count(s.total_rows > 0 ? s.total_rows : double(t->rows)).c_str(),
                        t->columns.size());
        if (!s.format.empty())
            ImGui::Text("%s%s%s", s.format.c_str(), s.encoding.empty() ? "" : ", ", s.encoding.c_str());
        if (!s.applied.source.empty()) ImGui::Text("Mapped as %s", s.applied.kind.c_str());
        if (s.demo) ImGui::TextUnformatted("Bundled demo data");
        ImGui::EndTooltip();
    }
    switch (s.state) {
        case LoadState::Loading: {
            std::string overlay = s.stage + "…";
            ImGui::ProgressBar(s.progress, ImVec2(-1, 0), overlay.c_str());
            if (ImGui::SmallButton("Cancel")) cancel = true;
            break;
        }
        case LoadState::Ready:
            if (t) {
                double rows = s.total_rows > 0 ? s.total_rows : double(t->rows);
                ImGui::TextColored(kMutedText, "%s %s · %zu %s", format_count(rows).c_str(),
                                   rows == 1 ? "row" : "rows", t->columns.size(),
                                   t->columns.size() == 1 ? "column" : "columns");
                if (const RejectLog* log = session.rejects_of(s.name); log && log->rejected())
                    ImGui::TextColored(kAttentionText, "%s rows rejected",
                                       format_count(double(log->rejected())).c_str());
                else if (!s.mapping_problems.empty())
                    ImGui::TextColored(kAttentionText, "mapping needs attention");
            }
            break;
        case LoadState::Failed:
            ImGui::PushStyleColor(ImGuiCol_Text, kErrorText);
            ImGui::PushTextWrapPos(0);
            ImGui::TextUnformatted(s.error.c_str());
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
        ImGui::TextColored(kMutedText, "%s (%s), only here: nothing is sent anywhere.",
                           k.restored ? "Restored from this browser" : "Kept in this browser",
                           format_bytes(k.bytes).c_str());
        ImGui::PopTextWrapPos();
        if (ImGui::SmallButton("Forget data")) ui.forget_data_requested = true;
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(
                "Removes the files kept in this browser and unloads them. Saved audiences stay.");
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(kMutedText, "Keep up to");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90 * ui.scale);
    double mb = session.workspace.settings.keep_data_mb;
    if (ImGui::InputDouble("MB##keep_data_mb", &mb, 0, 0, "%.0f", ImGuiInputTextFlags_EnterReturnsTrue) &&
        mb >= 0 && mb <= 1048576 && mb != session.workspace.settings.keep_data_mb) {
        session.workspace.settings.keep_data_mb = mb;
        ++session.workspace.revision; // the page stores the workspace and keeps data accordingly
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "Loaded files up to this size are kept in this browser and come back after a reload (0: keep "
            "none)");
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
    if (ImGui::Button("Open files", ImVec2(-1, 0))) ui.open_files_requested = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("CSV files; or drop them anywhere on the page");
    ImGui::Spacing();
    ImGui::TextColored(kMutedText, "DATA SOURCES");
    ImGui::Separator();
    if (session.sources.empty()) ImGui::TextColored(kMutedText, "No files loaded yet.");
    bool cancel = false;
    for (int i = 0; i < int(session.sources.size()); ++i) draw_source_row(session, i, cancel);
    if (cancel) ui.cancel_requested = true;
    draw_kept_data(session, ui);
}

} // namespace segx
