#pragma once
// The workspace (DESIGN §8): saved definitions, file mappings and settings; never data. The
// session owns it and is its only writer: the interface and the page's calls change it here, and
// the page stores its JSON text in the browser whenever `revision` moves and hands the text back
// at start (web/workspace.js). Nothing syncs the other way. No ImGui here.
#include "core/audience/definition.h"
#include "core/lang/error.h"
#include "core/model/derived_spec.h"
#include "core/run/run.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

// A saved definition that does not read now (malformed, written in another version's format,
// saved under another id): kept as stored, with why, so that storage never loses it. The rail
// lists it, state() reports it, and it is written back as it came.
struct UnreadDefinition {
    std::string kind; // "audience"
    std::string id;   // the key it is saved under
    std::string name; // its "name" when it has one, for lists
    std::string json; // the definition as stored
    std::vector<DefinitionError> errors;
};

struct WorkspaceSettings {
    double memory_budget_mb = 2048; // files larger than this are refused before loading
    double keep_data_mb = 500;      // loaded files kept in this browser up to this size (0: none)
    // Attributes from events (core/model/derived.h; JSON in core/model/README.md): the ones the
    // user asked for, and whether the model also finds the obvious ones by itself.
    std::vector<DerivedSpec> derived_attributes;
    bool auto_derived_attributes = true;
    // The interface language: "en" or "zh-CN"; empty: none chosen, the browser's language
    // applies (session.h effective_language).
    std::string language;
};

struct Workspace {
    // Saved definitions that read, by kind, each list in rail order (core/run/run.h: reference
    // rules resolve through it). A new kind (funnels, ...) is one list there and one entry in
    // workspace.cpp's kind table.
    SavedDefinitions saved;
    std::vector<UnreadDefinition> unread;        // of every kind
    std::map<std::string, std::string> mappings; // file name -> mapping JSON (web/mapping.js's shape)
    WorkspaceSettings settings;
    std::vector<std::string> sql_history; // the SQL tab's queries, newest first (sql/sql_state.h)
    uint64_t revision = 0; // bumped on every change; the page stores the workspace when it moves
    // The bumps of `revision` by definitions that no rule names (the Retention and Lifecycle
    // tabs keeping theirs): the page stores them, but no evaluation depends on them.
    uint64_t unreferenced_changes = 0;
};

// What evaluations depend on: the revision without the changes no rule can read.
inline uint64_t evaluation_revision(const Workspace& w) { return w.revision - w.unreferenced_changes; }

// Replaces `w` with the workspace stored as `text` (what workspace_json wrote). Lenient: a
// definition that does not read is kept in `unread`, a mapping that is not an object and a
// setting out of range are ignored. Returns false, and leaves `w` empty, when the text is not a
// workspace at all (not JSON, another version); `problem` says why. Bumps the revision.
bool read_workspace(std::string_view text, Workspace* w, std::string* problem);

// The JSON text of the workspace: {segx, mappings, audiences, funnels, rfms, retentions,
// lifecycles, boards, settings}, definitions in rail
// order. For storage, unread definitions are written back as they came; an export leaves them
// out (an import would refuse them), and says how many in *left_out.
std::string workspace_json(const Workspace& w, bool for_export = false, size_t* left_out = nullptr);

// An import or a save: {mappings, audiences, funnels, rfms, retentions, lifecycles, boards,
// settings}, each optional. Imported names replace
// those of the same name (a saved audience keeps its place in the rail; a new one goes last),
// imported settings replace those they give. An audience with an empty id gets an unused one;
// otherwise its id must be the key it comes under. All or nothing: when any part does not
// read, the errors (with JSON paths) come back and `w` is unchanged. Bumps the revision once.
struct MergeResult {
    std::vector<DefinitionError> errors;
    std::vector<std::string> ids; // of the definitions saved, in the order given
    bool ok() const { return errors.empty(); }
};
MergeResult merge_workspace(Workspace* w, std::string_view json_text);

// An import from a file ("Import JSON", segx.importText): like merge_workspace, but nothing
// saved is silently replaced. An imported definition whose id is saved already with other
// content is kept beside it under a new id, named "<name> (imported)", and the imported
// definitions' references to it follow; one equal to the saved one is left as it is. Mappings
// and settings replace those they name (one per file name), and are listed as replaced.
struct ImportResult {
    MergeResult merge;
    struct Renamed {
        std::string kind, from, to, name; // the new id and name it is saved under
    };
    std::vector<Renamed> renamed;
    std::vector<std::string> unchanged;         // "kind:id" already saved exactly as imported
    std::vector<std::string> replaced_mappings; // file names whose saved mapping was replaced
    std::vector<std::string> replaced_settings; // settings whose value changed
};
ImportResult import_workspace(Workspace* w, std::string_view json_text);

// The range of each setting (megabytes); outside it a setting is refused, naming the range.
constexpr double kMinMemoryBudgetMb = 1;
constexpr double kMaxSettingMb = 1048576;

// An id that no saved definition of any kind has, read or not ("audience-3").
std::string unused_definition_id(const Workspace& w, const std::string& prefix);

// Removes the unread definition at `index` (the user chose to); false when there is none.
bool remove_unread(Workspace* w, size_t index);

} // namespace segx
