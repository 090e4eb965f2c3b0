#pragma once
// UserSource: one users/customers file, loaded and checked but not yet merged. Like
// EventSource it keeps its ids in its own dictionary, so build_model can drop it cleanly.

#include "core/dataset/column.h"
#include "core/dataset/string_dictionary.h"
#include "core/model/chunk.h"
#include "core/model/column_builder.h"
#include "core/model/reject_log.h"
#include "core/model/value_text.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace segx {

struct UserSource {
    std::string name;
    StringDictionary user_ids;         // canonical id text (IdText), source-local codes
    std::vector<uint32_t> row_of_user; // per local user code: its winning (last) row
    // Every row read, in file order, rejected ones included: only row_of_user refers to rows.
    std::vector<Column> attributes;
    RejectLog rejects; // kept = distinct users; overridden duplicates count as rejected

    size_t memory_bytes() const;
};

// Loads a users file chunk by chunk: a user id column plus attribute columns, whose names are
// given up front and whose types are fixed by their first typed chunk (ColumnBuilder; Int64
// chunks say Bool/Int64/Date/Timestamp through ValueChunk::int_type).
//   - no id (null or blank)      -> "no user id";
//   - an id seen before          -> this row wins; the earlier row counts under
//                                   "duplicate user id (last row wins)", its example naming
//                                   both rows.
class UserSourceBuilder {
public:
    UserSourceBuilder(std::string name, std::vector<std::string> attribute_names);

    // n rows; `attributes` has one chunk per attribute name (ValueChunk::none() for a column
    // this batch lacks). Throws std::invalid_argument naming the source or column when the
    // chunks cannot be read or do not fit the attribute types; nothing changes then.
    void append(size_t n, const ValueChunk& user_id, const std::vector<ValueChunk>& attributes);
    // About `rows` rows are coming (an estimate): room for them and a thirty-second more is
    // reserved (EventSourceBuilder::expect).
    void expect(size_t rows);
    // The loaded source, without spare room past an eighth of its size; the builder is spent
    // afterwards.
    UserSource finish();

private:
    UserSource out_;
    std::vector<ColumnBuilder> attributes_;
    IdText id_text_;
};

} // namespace segx
