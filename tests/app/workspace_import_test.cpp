// Importing a workspace file never replaces saved work (issue 17, defect 3): a definition of a
// saved id with other content is kept beside it, references follow it, and settings out of range
// are refused naming the setting.
#include "app/workspace.h"

#include <doctest/doctest.h>

#include <string>

namespace app_workspace_import_test {

using namespace segx;

namespace {

std::string audience(const std::string& id, const std::string& name, const std::string& country) {
    return R"({"segx": 1, "id": ")" + id + R"(", "name": ")" + name +
           R"(", "root": {"kind": "group", "match": "all", "rules": [{"kind": "property", "attribute": "country", "op": "eq", "value": ")" +
           country + R"("}]}})";
}

const Audience* find(const Workspace& w, const std::string& id) {
    for (const Audience& a : w.saved.audiences)
        if (a.id == id) return &a;
    return nullptr;
}

} // namespace

TEST_CASE("an imported audience with a saved audience's id is kept beside it, renamed") {
    Workspace w;
    REQUIRE(merge_workspace(&w, R"({"audiences": {"vip": )" + audience("vip", "VIP", "UK") + "}}").ok());
    std::string file =
        R"({"audiences": {"vip": )" + audience("vip", "VIP", "CN") +
        R"(, "ref": {"segx": 1, "id": "ref", "name": "Ref", "root": {"kind": "group", "match": "all", "rules": [{"kind": "audience", "op": "in", "id": "vip"}]}}}})";
    ImportResult r = import_workspace(&w, file);
    REQUIRE(r.merge.ok());
    REQUIRE(r.renamed.size() == 1);
    CHECK(r.renamed[0].from == "vip");
    CHECK(r.renamed[0].to == "vip-imported");
    CHECK(r.renamed[0].name == "VIP (imported)");
    REQUIRE(find(w, "vip") != nullptr);
    CHECK(find(w, "vip")->name == "VIP"); // the saved one is untouched
    REQUIRE(find(w, "vip-imported") != nullptr);
    CHECK(find(w, "vip-imported")->name == "VIP (imported)");
    // The imported reference now names the imported audience, not the saved one.
    std::string text = workspace_json(w);
    CHECK(text.find(R"("ref")") != std::string::npos);
    size_t n = 0;
    for (size_t at = text.find("\"vip-imported\""); at != std::string::npos;
         at = text.find("\"vip-imported\"", at + 1))
        ++n;
    CHECK(n == 3); // its key, its id, and the reference
}

TEST_CASE("an imported audience equal to the saved one is left as it is") {
    Workspace w;
    REQUIRE(merge_workspace(&w, R"({"audiences": {"vip": )" + audience("vip", "VIP", "UK") + "}}").ok());
    uint64_t before = w.saved.audiences.size();
    ImportResult r = import_workspace(&w, R"({"audiences": {"vip": )" + audience("vip", "VIP", "UK") + "}}");
    REQUIRE(r.merge.ok());
    CHECK(r.renamed.empty());
    CHECK(r.unchanged == std::vector<std::string>{"audience:vip"});
    CHECK(w.saved.audiences.size() == before);
}

TEST_CASE("ids are plain data: __proto__, constructor and toString are ids like any other") {
    Workspace w;
    for (const char* id : {"__proto__", "constructor", "toString"}) {
        MergeResult r = merge_workspace(
            &w, std::string(R"({"audiences": {")") + id + "\": " + audience(id, id, "UK") + "}}");
        REQUIRE(r.ok());
        CHECK(find(w, id) != nullptr);
    }
    CHECK(w.saved.audiences.size() == 3);
}

TEST_CASE("settings out of range are refused naming the setting, and nothing changes") {
    Workspace w;
    uint64_t revision = w.revision;
    MergeResult tiny = merge_workspace(&w, R"({"settings": {"memory_budget_mb": 1e-6}})");
    REQUIRE_FALSE(tiny.ok());
    CHECK(tiny.errors[0].path == "settings.memory_budget_mb");
    CHECK(tiny.errors[0].message.find("memory budget") != std::string::npos);
    CHECK(w.settings.memory_budget_mb == 2048);
    CHECK_FALSE(import_workspace(&w, R"({"settings": {"keep_data_mb": -1}})").merge.ok());
    CHECK_FALSE(import_workspace(&w, R"({"settings": {"keep_data_mb": 1e300}})").merge.ok());
    CHECK(w.revision == revision);
    // A stored workspace with a budget out of range starts with the default instead.
    std::string problem;
    REQUIRE(read_workspace(R"({"segx": 1, "settings": {"memory_budget_mb": 1e-6}})", &w, &problem));
    CHECK(w.settings.memory_budget_mb == 2048);
}

TEST_CASE("an import says which mappings and settings it replaced") {
    Workspace w;
    REQUIRE(merge_workspace(
                &w, R"({"mappings": {"a.csv": {"kind": "events"}}, "settings": {"memory_budget_mb": 100}})")
                .ok());
    ImportResult r = import_workspace(
        &w, R"({"mappings": {"a.csv": {"kind": "orders"}}, "settings": {"memory_budget_mb": 200}})");
    REQUIRE(r.merge.ok());
    CHECK(r.replaced_mappings == std::vector<std::string>{"a.csv"});
    CHECK(r.replaced_settings == std::vector<std::string>{"memory_budget_mb"});
    CHECK(w.settings.memory_budget_mb == 200);
}

} // namespace app_workspace_import_test
