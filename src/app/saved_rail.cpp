#include "app/saved_rail.h"

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"

namespace segx {

SavedRailAction draw_saved_rail(const char* kind, const std::vector<SavedRailItem>& items,
                                const std::string& open_id, const SavedRailText& text,
                                SavedRailRename& renaming, const std::string* undo_name) {
    SavedRailAction act;
    ImGui::PushID(kind); // two kinds' undo buttons may carry the same name
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr(text.heading));
    ImGui::Separator();
    if (items.empty()) ImGui::TextDisabled("%s", tr(text.none));
    int start_rename = -1;
    for (int i = 0; i < int(items.size()); ++i) {
        const SavedRailItem& item = items[size_t(i)];
        ImGui::PushID((std::string(kind) + " " + item.id).c_str());
        const bool open = open_id == item.id;
        if (renaming.index == i) {
            if (ImGui::IsWindowAppearing() || !ImGui::IsAnyItemActive()) ImGui::SetKeyboardFocusHere();
            ImGui::SetNextItemWidth(-1);
            if (ImGui::InputText(("##rename " + item.id).c_str(), &renaming.text,
                                 ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll)) {
                act.rename = i, act.rename_to = renaming.text;
            } else if (ImGui::IsItemDeactivated() ||
                       ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
                renaming.index = -1;
            }
        } else if (ImGui::Selectable((item.name + "##saved " + item.id).c_str(), open)) {
            act.open = i;
        }
        if (open && renaming.index != i) {
            if (ImGui::SmallButton(label(text.rename, ("Rename##" + item.id).c_str()).c_str()))
                start_rename = i;
            ImGui::SameLine();
            if (ImGui::SmallButton(label(text.duplicate, ("Duplicate##" + item.id).c_str()).c_str()))
                act.duplicate = i;
            ImGui::SameLine();
            if (ImGui::SmallButton(label(text.remove, ("Delete##" + item.id).c_str()).c_str()))
                act.remove = i;
        }
        ImGui::PopID();
    }
    if (start_rename >= 0) renaming.index = start_rename, renaming.text = items[size_t(start_rename)].name;
    if (act.remove >= 0) renaming.index = -1;
    if (undo_name != nullptr) {
        std::string id = format_text(tr(text.undo, Language::En), {*undo_name});
        if (ImGui::SmallButton((trf(text.undo, {*undo_name}) + "###" + id).c_str())) act.undo = true;
    }
    ImGui::PopID();
    return act;
}

} // namespace segx
