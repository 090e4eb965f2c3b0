#pragma once
// One kind's saved definitions in the left rail (saved funnels, saved retentions): a heading,
// the names (a click opens one), Rename / Duplicate / Delete under the open one, a rename field
// in place of the name, and "Undo delete of ..." after a delete. The widget only draws and says
// what the user did; each tab's state (funnel_state.h, retention_state.h) does it, so the kinds
// keep their own saving rules (a funnel saves on "Save", a retention keeps itself).
//
// Labels are language-free for tests: "<name>##saved <id>", "Rename##<id>", "Duplicate##<id>",
// "Delete##<id>", "##rename <id>" and the undo button "###" + its English text.
#include "app/i18n/i18n.h"

#include <string>
#include <vector>

namespace segx {

struct SavedRailItem {
    std::string id, name;
};

// The strings of one kind's section (keys of the i18n tables).
struct SavedRailText {
    S heading, none, rename, duplicate, remove, undo; // undo: "Undo delete of \"{0}\""
};

// The rename field in progress (kept by the interface between frames).
struct SavedRailRename {
    int index = -1; // the item being renamed (-1: none)
    std::string text;
};

// What the user did this frame (-1: nothing). A rename is proposed in `rename` / `rename_to`:
// the caller applies it and, when it took, ends the field (SavedRailRename::index = -1).
struct SavedRailAction {
    int open = -1, rename = -1, duplicate = -1, remove = -1;
    std::string rename_to;
    bool undo = false;
};

// `kind` scopes the ImGui ids ("funnel", "retention"); `undo_name` is the last deleted item's
// name (nullptr: nothing to undo).
SavedRailAction draw_saved_rail(const char* kind, const std::vector<SavedRailItem>& items,
                                const std::string& open_id, const SavedRailText& text,
                                SavedRailRename& renaming, const std::string* undo_name);

} // namespace segx
