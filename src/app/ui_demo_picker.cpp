// The demo picker: the bundled English shop or the Chinese one (data/README.md), offered in the
// demo notice and on the empty Overview. The page loads the files (web/main.js: openDemo).
#include "app/i18n/i18n.h"
#include "app/ui.h"

#include "imgui.h"

namespace segx {

// The Chinese demo's file names (data/demo_zh): a demo source with one of them is that shop.
static bool is_zh_demo_file(const std::string& name) {
    return name == "会员.csv" || name == "订单.csv" || name == "行为日志.csv";
}

const char* loaded_demo(const Session& session) {
    for (const SourceFile& s : session.sources)
        if (s.demo) return is_zh_demo_file(s.name) ? "zh" : "en";
    return "";
}

void draw_demo_picker(const Session& session, UiState& ui) {
    const std::string shown = loaded_demo(session);
    struct Shop {
        const char* code;
        S key;
        const char* id;
    };
    const Shop shops[] = {{"en", S::demo_shop_en, "DemoShopEn"}, {"zh", S::demo_shop_zh, "DemoShopZh"}};
    for (const Shop& shop : shops) {
        if (&shop != shops) ImGui::SameLine();
        const bool current = shown == shop.code;
        ImGui::BeginDisabled(current); // the open one is greyed out
        if (ImGui::SmallButton(label(shop.key, shop.id).c_str())) ui.open_demo = shop.code;
        ImGui::EndDisabled();
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip("%s", tr(S::demo_picker_tip));
    }
}

} // namespace segx
