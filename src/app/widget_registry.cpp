#include "app/widget_registry.h"

#include "imgui.h"
#include "imgui_internal.h"

#include <cstdarg>
#include <unordered_map>

namespace segx {

namespace {
struct Registry {
    std::unordered_map<std::string, WidgetRect> building, last;
    ImRect item_bb;
    ImRect item_clip;
    ImGuiID item_id = 0;
    // Tab items report their label before their rectangle: held here until ItemAdd.
    std::unordered_map<ImGuiID, std::string> early_labels;
    // The InputText being edited, seen in this frame's ItemAdd (its frame rectangle).
    ImGuiID text_input_id = 0;
    ImRect text_input_bb, text_input_clip;
};
Registry& reg() {
    static Registry r;
    return r;
}

void record(const std::string& key, const WidgetRect& r) {
    // The first item drawn with a label wins, as a person reading top to bottom would find it.
    reg().building.emplace(key, r);
}

// Records an item under its full label, its visible part ("Delete" of "Delete##3") and, for a
// translated label ("人群###Audiences"), its language-free id ("###Audiences") and that id's
// text ("Audiences"; "Copy SQL##rfm" of "复制 SQL###Copy SQL##rfm"), so a test finds the same
// widget in every language.
void record_label(const std::string& full, const WidgetRect& r) {
    record(full, r);
    size_t hash = full.find("##");
    if (hash != std::string::npos && hash > 0) record(full.substr(0, hash), r);
    size_t id = full.find("###");
    if (id != std::string::npos && id > 0) {
        record(full.substr(id), r);
        // The id alone: label(S::add_rule, "+ Add rule##root") is found as "+ Add rule##root",
        // the label it had before it was translated, in every language.
        if (id + 3 < full.size()) record(full.substr(id + 3), r);
    }
}
} // namespace

void widget_registry_begin_frame() {
    ImGui::GetCurrentContext()->TestEngineHookItems = true;
    reg().building.clear();
    reg().early_labels.clear();
    reg().text_input_id = 0;
}

void widget_registry_note_last_item(const char* label) {
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImRect bb = g.LastItemData.Rect;
    ImRect vis = bb;
    if (g.CurrentWindow) vis.ClipWithFull(g.CurrentWindow->ClipRect);
    WidgetRect r{bb.Min.x, bb.Min.y, bb.GetWidth(), bb.GetHeight(),
                 vis.GetWidth() > 0 && vis.GetHeight() > 0};
    record_label(label, r);
}

void widget_registry_end_frame() { reg().last.swap(reg().building); }

bool widget_registry_active_text_input(WidgetRect* out) {
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    const Registry& r = reg();
    // Still active after the frame (a click elsewhere or Enter ends the edit after ItemAdd).
    if (r.text_input_id == 0 || g.ActiveId != r.text_input_id || g.InputTextState.ID != r.text_input_id)
        return false;
    if (g.InputTextState.Flags & ImGuiInputTextFlags_ReadOnly) return false;
    ImRect vis = r.text_input_bb;
    vis.ClipWithFull(r.text_input_clip);
    // Partly scrolled away: the visible part; wholly: the item's own rectangle (still focused).
    const ImRect& bb = vis.GetWidth() > 0 && vis.GetHeight() > 0 ? vis : r.text_input_bb;
    *out = WidgetRect{bb.Min.x, bb.Min.y, bb.GetWidth(), bb.GetHeight(),
                      vis.GetWidth() > 0 && vis.GetHeight() > 0};
    return out->w > 0 && out->h > 0;
}

bool widget_registry_find(const std::string& label, WidgetRect* out) {
    auto it = reg().last.find(label);
    if (it == reg().last.end()) return false;
    *out = it->second;
    return true;
}

} // namespace segx

// --- Dear ImGui test-engine hooks -----------------------------------------------------------
static void record_item(const char* label) {
    auto& r = segx::reg();
    ImRect vis = r.item_bb;
    vis.ClipWithFull(r.item_clip);
    segx::WidgetRect rect{r.item_bb.Min.x, r.item_bb.Min.y, r.item_bb.GetWidth(), r.item_bb.GetHeight(),
                          vis.GetWidth() > 0 && vis.GetHeight() > 0};
    segx::record_label(label, rect);
}

void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, const ImRect& bb, ImGuiID id) {
    auto& r = segx::reg();
    r.item_bb = bb;
    r.item_id = id;
    ImGuiWindow* w = ctx->CurrentWindow;
    r.item_clip = w ? w->ClipRect : bb;
    // InputText adds its item with its frame as the nav rectangle, which is what `bb` is here.
    if (id == ctx->ActiveId && ctx->InputTextState.ID == id) {
        r.text_input_id = id;
        r.text_input_bb = bb;
        r.text_input_clip = r.item_clip;
    }
    if (bb.GetWidth() <= 0) return;
    auto it = r.early_labels.find(id);
    if (it != r.early_labels.end()) {
        record_item(it->second.c_str());
        r.early_labels.erase(it);
    }
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags) {
    auto& r = segx::reg();
    if (!label) return;
    if (id == r.item_id)
        record_item(label);
    else
        r.early_labels[id] = label;
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }
