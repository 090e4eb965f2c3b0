#pragma once
// The interface: one full-window ImGui layout over a Session. It reads and edits values only;
// what happens on the JS side (file dialog) is asked for through flags the page polls.
#include "app/app_state.h"
#include "app/saved_rail.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace segx {

// A mapping the interface wants previewed (apply = false) or applied to the model.
struct MappingRequest {
    std::string source; // empty: nothing asked
    Mapping mapping;
    bool apply = false;
};

struct UiState {
    float scale = 1.0f;      // device pixel ratio: every size below is multiplied by it
    bool drag_hover = false; // files are being dragged over the page
    bool open_files_requested = false;
    std::string column_filter; // Data panel: filter columns by name
    bool show_messages = false;
    std::string status_cut;                // the latest message as the status bar shows it (cut to fit)
    size_t status_cut_for = 0;             // ... for this many messages
    float status_cut_room = -1;            // ... and this width
    MappingRequest mapping_request;        // taken by the page after the frame
    std::string stats_request;             // a file whose column figures the Data panel needs
    struct DerivedForm {                   // Data tab: a new attribute from events
        std::string property, event, name; // event "": any event
        DerivedPick pick = DerivedPick::Latest;
    } derived_form;
    std::string reload_source, reload_encoding; // reload a file with another encoding
    std::string remove_source;
    bool forget_data_requested = false; // forget the files kept in this browser (and unload them)
    bool cancel_requested = false;
    std::string open_demo; // "en" or "zh": replace the demo with that shop (web/main.js openDemo)
    // Overview's as-of field: its text, the as-of it was last filled from (refilled when the
    // model's as-of changes and the field is not being edited), and whether it is being edited.
    std::string as_of_text;
    std::optional<int64_t> as_of_shown;
    bool as_of_editing = false;
    bool as_of_stale = true;

    // Audiences tab: requests the page carries out after the frame (src/web/page_main.cpp).
    struct Download {
        std::string file_name, mime, text; // empty file_name: none asked
    } download;
    bool import_requested = false; // pick a definition or workspace JSON file
    bool export_workspace_requested = false;
    std::string share_request;               // a definition to turn into a link and copy
    bool sql_tables_requested = false;       // "Copy SQL": bring the page's users/events views up to date
    std::vector<std::string> csv_attributes; // chosen for the members CSV
    bool csv_attributes_set = false;         // false: all attributes, until the user picks
    std::string select_tab;                  // a tab to bring to the front on the next frame
    int renaming = -1;                       // saved audience being renamed in the rail
    std::string rename_text;
    SavedRailRename funnel_rename;    // saved funnel being renamed in the rail
    SavedRailRename retention_rename; // ... saved retention

    // SQL tab: requests the page carries out after the frame (web/sql_tab.js).
    struct SqlRun {
        uint64_t id = 0; // 0: none asked
        std::string text;
    } sql_run;
    uint64_t sql_cancel = 0; // a run to cancel (0: none)
    std::string sql_csv;     // a query whose every row to download as CSV
    std::string open_in_sql; // "Open in SQL tab" from any tab: the SQL to put in the editor
};

void draw_app(App& app, UiState& ui);

// Pieces of the layout, one file each.
void draw_sources_rail(Session& session, UiState& ui);
void draw_data_panel(Session& session, UiState& ui);
// The Data tab's "Attributes from events" (ui_derived.cpp).
void draw_derived_attributes(Session& session, UiState& ui);
std::string derived_note(const DerivedSpec& d); // "latest · Country of any event", for pickers
void draw_status_bar(Session& session, UiState& ui);
void draw_overview(Session& session, UiState& ui);
// The demo picker (English shop / 中文店铺) and which demo is loaded ("en", "zh" or "").
void draw_demo_picker(const Session& session, UiState& ui);
const char* loaded_demo(const Session& session);
// A scrollable table of a core Table's rows (first 63 columns), drawn one screenful at a time.
void draw_table_rows(const char* id, const Table& table, bool row_numbers);
void draw_audiences(Session& session, AudienceState& st, UiState& ui);
void draw_audience_rail(Session& session, AudienceState& st, UiState& ui);
void draw_mapping_panel(Session& session, SourceFile& source, const Table& raw, UiState& ui);

// ImGui::BeginCombo that also records the combo for window.segx.widgetRect (1.86 combos report
// no label to the test-engine hooks).
bool begin_combo(const char* label, const char* preview);

// One layout unit: a pixel at the 14 px design font, growing with the font (and the screen).
float ui_unit();

// A definition's problems in the error colour, wrapped, each "path: message" in the active
// language: all of them, or those at `path` or inside it ("window", "steps[1].where[0]").
void draw_problems(const std::vector<DefinitionError>& errors);
void draw_problems(const std::vector<DefinitionError>& errors, const std::string& path);

// j[key] when it is a number, else 0 (an answer's figure).
double json_number(const nlohmann::json& j, const char* key);

// Wrapping rows of items (toolbars, figures): call before every item but a row's first, with the
// width it will take; it stays on the line when it fits, else starts the next line.
void flow_same_line(float width);
float button_width(const char* label); // a Button's width for flow_same_line

// Numbers as people read them, in the active language (the one place for formats): grouped
// counts (1,234,567 in English and Chinese alike), shares, amounts. Dates stay ISO everywhere.
std::string format_count(double n);                     // 1234567 -> "1,234,567"
std::string format_bytes(double n);                     // 1536 -> "1.5 KB"
std::string format_percent(double share, int decimals); // 0.1234, 1 -> "12.3%"
std::string format_money(double v); // 1234.5 -> "1,234.50" (no currency: files do not say)
// A headline figure: in Chinese, counts from 100,000 up read as 万 / 亿 ("12.35万", "1.2亿"), as
// Chinese dashboards write them; English keeps the grouped count. The exact figure goes in the
// tooltip.
std::string format_kpi(double n);

// A mapping kind ("users", "events", "orders") in the active language, for what people read.
const char* kind_word(const std::string& kind);

// A definition kind ("audience", "funnel", "rfm", ...) in the active language.
const char* definition_kind_word(const std::string& kind);

// The language switch's names: each language in its own words (never translated).
const char* language_name(Language l);

} // namespace segx
