// Bottom line: the latest message (click for all of them), load progress, totals.
#include "app/theme.h"
#include "app/ui.h"

#include "imgui.h"

namespace segx {

static ImVec4 level_color(Level l) {
    switch (l) {
        case Level::Error:
            return kStatusErrorText;
        case Level::Warning:
            return kStatusWarningText;
        default:
            return kStatusInfoText;
    }
}

static void draw_messages_window(Session& session, UiState& ui) {
    if (!ui.show_messages) return;
    ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowSize(ImVec2(io.DisplaySize.x * 0.6f, io.DisplaySize.y * 0.4f), ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
    if (ImGui::Begin("Messages", &ui.show_messages, ImGuiWindowFlags_NoSavedSettings)) {
        for (auto it = session.log.rbegin(); it != session.log.rend(); ++it) {
            ImGui::PushStyleColor(ImGuiCol_Text, level_color(it->level));
            ImGui::PushTextWrapPos(0);
            ImGui::TextUnformatted(it->text.c_str());
            ImGui::PopTextWrapPos();
            ImGui::PopStyleColor();
            ImGui::Separator();
        }
    }
    ImGui::End();
}

void draw_status_bar(Session& session, UiState& ui) {
    ImGui::Separator();
    double rows = 0, loading = 0, progress = 0;
    for (const SourceFile& s : session.sources) {
        if (const Table* t = session.data.find(s.name))
            rows += s.total_rows > 0 ? s.total_rows : double(t->rows);
        if (s.state == LoadState::Loading) loading += 1, progress += s.progress;
    }
    if (loading > 0) {
        char overlay[64];
        std::snprintf(overlay, sizeof overlay, "Loading %.0f file%s", loading, loading > 1 ? "s" : "");
        ImGui::ProgressBar(float(progress / loading), ImVec2(200 * ui.scale, 0), overlay);
        ImGui::SameLine();
    }
    char label[64];
    std::snprintf(label, sizeof label, "Messages (%zu)", session.log.size());
    if (ImGui::SmallButton(label)) ui.show_messages = !ui.show_messages;
    ImGui::SameLine();
    if (!session.log.empty()) {
        const StatusMessage& m = session.log.back();
        ImGui::PushStyleColor(ImGuiCol_Text, level_color(m.level));
        ImGui::TextUnformatted(m.text.c_str());
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", m.text.c_str());
    } else {
        ImGui::TextUnformatted("Ready");
    }
    std::string totals =
        format_count(double(session.sources.size())) + " sources · " + format_count(rows) + " rows";
    float w = ImGui::CalcTextSize(totals.c_str()).x;
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - w);
    ImGui::TextDisabled("%s", totals.c_str());
    draw_messages_window(session, ui);
}

} // namespace segx
