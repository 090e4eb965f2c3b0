// Bottom line: the latest message (click for all of them), load progress, totals.
#include "app/i18n/i18n.h"
#include "app/theme.h"
#include "app/ui.h"
#include "app/widget_registry.h"

#include "imgui.h"

#include <string>

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

// `text` on one line of at most `width` pixels: whole, or cut at a character boundary and ended
// with "…". Newlines end the line too.
static std::string cut_to_width(const std::string& text, float width) {
    size_t nl = text.find('\n');
    std::string line = nl == std::string::npos ? text : text.substr(0, nl) + " …";
    if (ImGui::CalcTextSize(line.c_str()).x <= width) return line;
    const char* ellipsis = "\xE2\x80\xA6";
    float room = width - ImGui::CalcTextSize(ellipsis).x;
    size_t lo = 0, hi = line.size(); // the longest prefix that fits, by bisection on bytes
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (ImGui::CalcTextSize(line.data(), line.data() + mid).x <= room)
            lo = mid;
        else
            hi = mid - 1;
    }
    while (lo > 0 && (static_cast<unsigned char>(line[lo]) & 0xC0) == 0x80) --lo; // not inside a character
    return line.substr(0, lo) + ellipsis;
}

static void draw_messages_window(Session& session, UiState& ui) {
    if (!ui.show_messages) return;
    ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowSize(ImVec2(io.DisplaySize.x * 0.6f, io.DisplaySize.y * 0.4f), ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
    if (ImGui::Begin(label(S::messages_title, "Messages").c_str(), &ui.show_messages,
                     ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::TextDisabled("%s", tr(S::messages_hint));
        widget_registry_note_last_item("##messages_window"); // for tests: the window is shown
        // Escape closes it, as it closes a popup.
        if (ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) &&
            ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
            ui.show_messages = false;
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
        std::string overlay = loading > 1 ? trf(S::loading_files, {format_count(loading)})
                                          : std::string(tr(S::loading_one_file));
        ImGui::ProgressBar(float(progress / loading), ImVec2(200 * ui.scale, 0), overlay.c_str());
        ImGui::SameLine();
    }
    std::string button = trf(S::messages_button, {format_count(double(session.log.size()))}) + "###messages";
    if (ImGui::SmallButton(button.c_str())) ui.show_messages = !ui.show_messages;
    widget_registry_note_last_item("##messages_button");
    ImGui::SameLine();
    std::string totals =
        trf(S::status_totals, {format_count(double(session.sources.size())), format_count(rows)});
    float w = ImGui::CalcTextSize(totals.c_str()).x;
    if (!session.log.empty()) {
        // The latest message on one line: cut with "…" where it would run into the totals (the
        // whole of it in the tooltip and the Messages window). Cut again only when the message
        // or the room changes.
        const StatusMessage& m = session.log.back();
        float room = ImGui::GetWindowContentRegionMax().x - w - ImGui::GetCursorPosX() -
                     2 * ImGui::GetStyle().ItemSpacing.x;
        if (ui.status_cut_for != session.log.size() || ui.status_cut_room != room) {
            ui.status_cut_for = session.log.size(), ui.status_cut_room = room;
            ui.status_cut = cut_to_width(m.text, room);
        }
        ImGui::PushStyleColor(ImGuiCol_Text, level_color(m.level));
        ImGui::TextUnformatted(ui.status_cut.c_str());
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
            ImGui::TextUnformatted(m.text.c_str());
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
        }
    } else {
        ImGui::TextUnformatted(tr(S::status_ready));
    }
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - w);
    ImGui::TextDisabled("%s", totals.c_str());
    draw_messages_window(session, ui);
}

} // namespace segx
