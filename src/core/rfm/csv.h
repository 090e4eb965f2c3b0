#pragma once
// RFM tables as CSV, for a spreadsheet or a mailing tool; the same format as the audience
// members CSV (audience/members_csv.h): RFC 4180 with LF line ends, UTF-8 without a byte-order
// mark, a field quoted (quotes doubled) when it holds a comma, a quote, CR or LF, an empty field
// for a null, numbers as format_double writes them, and a text cell (a user id, a segment name)
// that begins with =, +, -, @, tab or CR gets a leading apostrophe (formula injection).
//
// Segments:  segment,customers,share,revenue,revenue_share,mean_r_days,mean_f_orders,mean_m
//            one row per segment in the settings' order (shares as fractions, 0..1).
// Customers: user_id,days,orders,revenue,monetary,r,f,m,segment
//            one row per customer, ordered by user id as text (bytes), as rfm_sql.h's rows.

#include "core/model/model.h"
#include "core/rfm/engine.h"

#include <string>
#include <vector>

namespace segx {

std::string rfm_segments_csv(const Rfm& rfm, const RfmResult& result);
// `users_by_id`: every user index by id text (users_by_id_text), or nullptr to sort here.
std::string rfm_customers_csv(const Model& model, const Rfm& rfm, const RfmScores& scores,
                              const std::vector<uint32_t>* users_by_id);

} // namespace segx
