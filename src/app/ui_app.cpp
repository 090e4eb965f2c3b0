#include "app/i18n/i18n.h"
#include "app/ui.h"

#include "app/funnels/ui_funnels.h"
#include "app/lifecycle/ui_lifecycle.h"
#include "app/retention/ui_retention.h"
#include "app/rfm/ui_rfm.h"
#include "app/sql/ui_sql.h"

#include "app/theme.h"
#include "app/widget_registry.h"
#include "core/lang/messages.h" // error_line
#include "imgui.h"
#include "imgui_internal.h"

#include <cmath>
#include <cstdio>

namespace segx {

float ui_unit() { return ImGui::GetFontSize() / 14.0f; }

static void draw_problem(const DefinitionError& e) {
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorText);
    ImGui::PushTextWrapPos(0);
    ImGui::Text("%s", error_line(e, language()).c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

void draw_problems(const std::vector<DefinitionError>& errors) {
    for (const DefinitionError& e : errors) draw_problem(e);
}

void draw_problems(const std::vector<DefinitionError>& errors, const std::string& path) {
    for (const DefinitionError& e : errors) {
        bool inside = e.path == path || e.path.compare(0, path.size() + 1, path + ".") == 0 ||
                      e.path.compare(0, path.size() + 1, path + "[") == 0;
        if (inside) draw_problem(e);
    }
}

double json_number(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

bool begin_combo(const char* label, const char* preview) {
    bool open = ImGui::BeginCombo(label, preview);
    widget_registry_note_last_item(label);
    return open;
}

void flow_same_line(float width) {
    float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width;
    if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
}

std::string format_count(double n) {
    char digits[32];
    std::snprintf(digits, sizeof digits, "%.0f", std::fabs(n));
    std::string s(digits), out;
    int lead = int(s.size()) % 3;
    for (size_t i = 0; i < s.size(); ++i) {
        if (i && (int(i) - lead) % 3 == 0) out += ',';
        out += s[i];
    }
    return n < 0 ? "-" + out : out;
}

std::string format_bytes(double n) {
    const char* units[] = {"B", "KB", "MB", "GB", "TB"};
    int u = 0;
    while (n >= 1024 && u < 4) n /= 1024, ++u;
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", n, units[u]);
    return buf;
}

std::string format_percent(double share, int decimals) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f%%", decimals, share * 100);
    return buf;
}

std::string format_money(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", std::fabs(v));
    std::string s(buf);
    size_t dot = s.find('.');
    // Whole part from the rounded text: 0.999 reads "1.00", not "0.00".
    std::string whole = format_count(std::stod(s.substr(0, dot)));
    return (v < 0 && s != "0.00" ? "-" : "") + whole + s.substr(dot);
}

std::string format_kpi(double n) {
    if (language() != Language::Zh || std::fabs(n) < 1e5) return format_count(n);
    bool yi = std::fabs(n) >= 1e8;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.2f", n / (yi ? 1e8 : 1e4));
    std::string s(buf);
    while (s.back() == '0') s.pop_back(); // "12.50" -> "12.5", "3.00" -> "3"
    if (s.back() == '.') s.pop_back();
    return s + (yi ? "亿" : "万");
}

const char* kind_word(const std::string& kind) {
    if (kind == "users") return tr(S::kind_users);
    if (kind == "orders") return tr(S::kind_orders);
    if (kind == "events") return tr(S::kind_events);
    return kind.c_str();
}

const char* definition_kind_word(const std::string& kind) {
    if (kind == "audience") return tr(S::kind_audience);
    if (kind == "funnel") return tr(S::kind_funnel);
    if (kind == "rfm") return tr(S::kind_rfm);
    if (kind == "retention") return tr(S::kind_retention);
    if (kind == "lifecycle") return tr(S::kind_lifecycle);
    if (kind == "board") return tr(S::kind_board);
    return kind.c_str();
}

const char* language_name(Language l) { return l == Language::Zh ? "简体中文" : "English"; }

// The header's language switch: one small button per language, the active one highlighted.
// A click stores the choice in the workspace (the page saves it); the frame applies it.
static void draw_language_switch(Session& session) {
    const Language langs[] = {Language::En, Language::Zh};
    float w = 0;
    for (Language l : langs) w += button_width(language_name(l)) + ImGui::GetStyle().ItemSpacing.x;
    ImVec2 back = ImGui::GetCursorPos();
    ImGui::SetCursorPosX(ImGui::GetWindowContentRegionMax().x - w);
    for (Language l : langs) {
        bool active = language() == l;
        if (active) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
        std::string id = std::string(language_name(l)) + "###language." + language_code(l);
        if (ImGui::SmallButton(id.c_str()) && !active) {
            session.workspace.settings.language = language_code(l);
            ++session.workspace.revision; // the page stores the workspace
        }
        if (active) ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::language_switch));
        ImGui::SameLine();
    }
    ImGui::SetCursorPos(back);
}

static void draw_drop_overlay(const UiState& ui) {
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    ImVec2 size = ImGui::GetIO().DisplaySize;
    float pad = 12 * ui.scale;
    dl->AddRectFilled(ImVec2(0, 0), size, kDropOverlayFill);
    dl->AddRect(ImVec2(pad, pad), ImVec2(size.x - pad, size.y - pad), kDropOverlayFrame, 8 * ui.scale, 0,
                3 * ui.scale);
    const char* text = tr(S::drop_files_here);
    ImVec2 ts = ImGui::CalcTextSize(text);
    dl->AddText(ImVec2((size.x - ts.x) / 2, (size.y - ts.y) / 2), kDropOverlayText, text);
}

void draw_app(App& app, UiState& ui) {
    Session& session = app.session;
    // The language for this frame: a switch (here, or the workspace merged by the page) applies
    // at once. Popups close cleanly; drafts, edits and open tabs keep going (ids are
    // language-free).
    Language before = language();
    apply_language(session);
    if (language() != before) {
        ImGui::ClosePopupsOverWindow(nullptr, false);
        ui.status_cut_for = 0; // re-cut the status line in the new language
    }
    ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                             ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings |
                             ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("segx", nullptr, flags);

    float status_h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y;
    float rail_w = std::floor(270 * ui.scale);
    float body_h = ImGui::GetContentRegionAvail().y - status_h;

    ImGui::BeginChild("##rail", ImVec2(rail_w, body_h), true);
    draw_sources_rail(session, ui);
    draw_audience_rail(session, app.audiences, ui);
    draw_funnel_rail(session, app.funnels, ui);
    draw_retention_rail(session, app.retention, ui);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##main", ImVec2(0, body_h), false);
    draw_language_switch(session);
    // The tabs keep their last results while the model is rebuilt (Session::rebuilding): say why.
    if (session.rebuilding) ImGui::TextDisabled("%s", tr(S::model_rebuilding));
    if (ImGui::BeginTabBar("##tabs")) {
        // A further analysis adds its tab here.
        if (ImGui::BeginTabItem(label(S::tab_overview, "Overview").c_str())) {
            draw_overview(session, ui);
            ImGui::EndTabItem();
        }
        // A tab asked for (a link opened, a funnel bar clicked) comes to the front once.
        std::string select = std::move(ui.select_tab);
        ui.select_tab.clear();
        auto flags_of = [&](const char* tab) { return select == tab ? ImGuiTabItemFlags_SetSelected : 0; };
        if (ImGui::BeginTabItem(label(S::tab_audiences, "Audiences").c_str(), nullptr,
                                flags_of("Audiences"))) {
            draw_audiences(session, app.audiences, ui);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(label(S::tab_funnels, "Funnels").c_str(), nullptr, flags_of("Funnels"))) {
            draw_funnels(app, ui);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(label(S::tab_rfm, "RFM").c_str(), nullptr, flags_of("RFM"))) {
            draw_rfm(app, ui);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(label(S::tab_retention, "Retention").c_str(), nullptr,
                                flags_of("Retention"))) {
            draw_retention(app, ui);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(label(S::tab_lifecycle, "Lifecycle").c_str(), nullptr,
                                flags_of("Lifecycle"))) {
            draw_lifecycle(app, ui);
            ImGui::EndTabItem();
        }
        if (!ui.open_in_sql.empty()) { // asked by a tab drawn before: shows from the next frame
            open_in_sql_tab(app, ui, ui.open_in_sql);
            ui.open_in_sql.clear();
        }
        if (ImGui::BeginTabItem(label(S::tab_sql, "SQL").c_str(), nullptr, flags_of("SQL"))) {
            draw_sql(app, ui);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(label(S::tab_data, "Data").c_str())) {
            draw_data_panel(session, ui);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::EndChild();

    draw_status_bar(session, ui);
    ImGui::End();

    if (ui.drag_hover) draw_drop_overlay(ui);
}

} // namespace segx
