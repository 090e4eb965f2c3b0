// Workspace JSON (app/workspace.h): stored text read back at start (read_workspace, lenient)
// and an import merged into a workspace holding a few definitions (merge_workspace, all or
// nothing). Never throw or crash; a refused import changes nothing; what is stored reads back
// to the same text.
#include "app/workspace.h"
#include "fuzz/fuzz_check.h"

#include <string>

namespace {

const char* kBase = R"({"segx":1,"audiences":{"a1":{"segx":1,"id":"a1","name":"Buyers","root":{"match":"all",
"rules":[{"kind":"behavior","did":true,"event":"purchase"}]}},"a2":{"segx":1,"id":"a2","name":"Not buyers",
"root":{"match":"all","rules":[{"kind":"audience","op":"not_in","id":"a1"}]}}},
"funnels":{"f1":{"segx":1,"kind":"funnel","id":"f1","name":"F","steps":[{"event":"view"},{"event":"purchase"}]}},
"settings":{"memory_budget_mb":100}})";

// The base workspace is read once and copied for each input: the input's own definitions are
// the only ones read and checked per input (reading the base again checked nothing new).
const segx::Workspace& base() {
    static const segx::Workspace w = [] {
        segx::Workspace b;
        std::string problem;
        FUZZ_CHECK(segx::read_workspace(kBase, &b, &problem), "the base workspace reads: " + problem);
        return b;
    }();
    return w;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::string base_text = segx::workspace_json(base());
    std::string_view text(reinterpret_cast<const char*>(data), size);

    segx::Workspace stored;
    std::string problem;
    if (segx::read_workspace(text, &stored, &problem)) {
        const std::string once = segx::workspace_json(stored);
        segx::Workspace again;
        FUZZ_CHECK(segx::read_workspace(once, &again, &problem),
                   "stored text does not read back: " + problem);
        FUZZ_CHECK(segx::workspace_json(again) == once, "stored twice differently: " + once);
        (void)segx::workspace_json(stored, true);
    }

    segx::Workspace w = base();
    segx::MergeResult merged = segx::merge_workspace(&w, text);
    if (!merged.ok())
        FUZZ_CHECK(segx::workspace_json(w) == base_text, "a refused import changed the workspace");
    return 0;
}
