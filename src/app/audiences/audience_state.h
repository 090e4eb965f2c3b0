#pragma once
// The Audiences tab's state: the definition being edited (the draft), what it evaluates to, the
// saved audiences of the workspace, and undo for deleting one. Plain values and free functions
// with no ImGui, so that window.segx.state() can report exactly what the interface shows.
#include "core/audience/definition.h"
#include "core/lang/error.h"
#include "core/audience/insight.h"
#include "core/dataset/bitmap.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace segx {

struct Session;

struct AudienceState {
    Audience draft{1, "", "New audience", {}}; // what the builder edits
    std::string opened_id; // the saved audience the draft was opened from or saved as ("" = new)
    // The draft an import or a link replaced, so that opening one never loses editing: the
    // builder offers to go back to it until the next open.
    std::optional<Audience> replaced_draft;
    std::string replaced_opened_id;

    // The draft's evaluation, redone whenever `evaluated_key` (definition, data generation,
    // as-of, the workspace's revision) changes; the per-rule cache makes a one-rule edit cheap.
    std::string evaluated_key;
    bool evaluated = false;
    std::vector<DefinitionError> errors; // parse-free: validation and evaluation problems
    Bitmap members;
    size_t size = 0, users = 0;
    double eval_ms = 0;
    std::map<std::string, size_t> rule_sizes; // each leaf rule's own size, by JSON path

    struct Deleted {
        size_t index;
        Audience audience;
    };
    std::vector<Deleted> deleted; // newest last; "Undo" restores the last one

    // Computed only while their panels are shown, and again only when the members change.
    std::string insight_key;
    AudienceInsight insight;
    struct Overlap {
        std::vector<std::string> names;    // saved audiences, then the draft when it is unsaved
        std::vector<size_t> counts;        // n x n, row-major; the diagonal holds the sizes
        std::vector<std::string> problems; // saved audiences that do not evaluate on this data
    };
    std::string overlap_key;
    Overlap overlap;
    // The saved audiences' members, kept apart from the draft's: editing the draft must not
    // re-evaluate every saved audience (seconds with dozens of them over a million users).
    std::string saved_sets_key;
    std::vector<std::string> saved_set_names;
    std::vector<Bitmap> saved_sets;
    std::vector<std::string> saved_set_problems;
};

// Re-evaluates the draft if anything it depends on changed. Cheap when nothing did.
void refresh_audience(Session& session);

void refresh_insight(Session& session); // after refresh_audience
void refresh_overlap(Session& session); // after refresh_audience

// The members as CSV: user id plus the chosen attributes. Empty when the draft has errors.
std::string members_csv_text(const Session& session, const std::vector<std::string>& attributes);

// The draft as DuckDB SQL (src/core/sql), or false and why not.
bool audience_sql_text(Session& session, std::string* sql, std::string* problem);

// Saved audiences (Session::workspace.saved.audiences, in rail order). Each returns false (and posts why) when it
// cannot act.
bool save_draft(Session& session, bool as_new); // as_new: a copy under a new id
void open_saved(Session& session, size_t index);
void new_draft(Session& session);
bool rename_saved(Session& session, size_t index, const std::string& name);
void duplicate_saved(Session& session, size_t index);
void delete_saved(Session& session, size_t index);
bool undo_delete(Session& session);

// An id no saved audience has ("audience-3").
std::string unused_audience_id(const Session& session);

// Replaces the draft with a definition read from JSON text (an imported file or a share
// link). Validation errors leave the draft as it was; returns them.
std::vector<DefinitionError> open_definition(Session& session, std::string_view json_text);

// Goes back to the draft the last open_definition replaced; false when there is none.
bool restore_replaced_draft(Session& session);

// The draft as a pretty-printed JSON document, and a file name for it.
std::string draft_json_text(const Session& session);
std::string file_name_for(const std::string& audience_name, const char* extension);

} // namespace segx
