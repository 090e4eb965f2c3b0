#pragma once
// Paths and messages shared by every engine and the SQL compiler, which must report exactly the
// same problems at the same JSON paths.

#include "core/dataset/column.h"
#include "core/dataset/string_dictionary.h"

#include <cstddef>
#include <string>
#include <vector>

namespace segx {

std::string child_path(const std::string& path, const char* key);           // path.key
std::string child_path(const std::string& path, const char* key, size_t i); // path.key[i]
std::string show_id(const std::string& id); // an id in a message: plain, or quoted when odd
// "audience cycle: a → b → a", the chain from stack[from] to the id that closes it.
std::string cycle_message(const std::vector<std::string>& stack, size_t from, const std::string& id);
// "unknown attribute \"x\" (known: a, b, c, ...)": the first few names, to spot a typo.
std::string unknown_name(const char* what, const std::string& name, const std::vector<Column>& known);
std::string unknown_event(const std::string& name, const StringDictionary& events);
// The column called `name`, or nullptr.
const Column* find_column(const std::vector<Column>& columns, const std::string& name);

} // namespace segx
