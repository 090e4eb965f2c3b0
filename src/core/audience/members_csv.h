#pragma once
// Audience members as CSV (DESIGN §3): the user id plus chosen attributes, for a spreadsheet or
// a mailing tool.
//
// Format: RFC 4180 with LF line ends (every spreadsheet and CSV reader takes LF, and it keeps
// the text diff-friendly), UTF-8 without a byte-order mark, a header `user_id,<attributes...>`,
// then one row per member in user index order (the order users were first seen). A field is
// quoted, with quotes doubled, when it holds a comma, a quote, CR or LF. A null is an empty
// field. Values print as Column::format does: numbers as format_double / decimal, booleans
// true / false, DATE as YYYY-MM-DD, TIMESTAMP as YYYY-MM-DD HH:MM:SS[.ffffff] (UTC).
//
// Formula injection: a text cell (the header, a user id, a VARCHAR value) that begins with =,
// +, -, @, tab or CR gets a leading apostrophe, so that a spreadsheet shows it instead of
// running it (OWASP's advice). Cells of numeric, boolean and date columns are never touched:
// "-3" from a BIGINT column stays a number. A user id "-3" is text and becomes "'-3".

#include "core/dataset/bitmap.h"
#include "core/model/model.h"

#include <string>
#include <vector>

namespace segx {

// Throws std::invalid_argument naming the first attribute that is not in model.attributes.
// Bits of `members` past the model's users are ignored.
std::string members_csv(const Model& model, const Bitmap& members,
                        const std::vector<std::string>& attributes);

} // namespace segx
