#include "core/rfm/csv.h"

#include "core/dataset/column.h"

#include <string_view>

namespace segx {

namespace {

// As audience/members_csv.cpp (an analysis does not include another's internals).
void append_field(std::string& out, std::string_view s, bool text) {
    const bool guard =
        text && !s.empty() &&
        (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
        if (guard) out += '\'';
        out.append(s.data(), s.size());
        return;
    }
    out += '"';
    if (guard) out += '\'';
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

void append_number(std::string& out, const std::optional<double>& x) {
    out += ',';
    if (x) out += format_double(*x);
}

} // namespace

std::string rfm_segments_csv(const Rfm& rfm, const RfmResult& result) {
    std::string out = "segment,customers,share,revenue,revenue_share,mean_r_days,mean_f_orders,mean_m\n";
    for (size_t i = 0; i < result.segments.size() && i < rfm.segments.size(); i++) {
        const RfmSegmentResult& s = result.segments[i];
        append_field(out, rfm.segments[i].name, true);
        out += ',' + std::to_string(s.customers);
        append_number(out, s.share);
        append_number(out, s.revenue);
        append_number(out, s.revenue_share);
        append_number(out, s.mean_r);
        append_number(out, s.mean_f);
        append_number(out, s.mean_m);
        out += '\n';
    }
    return out;
}

std::string rfm_customers_csv(const Model& model, const Rfm& rfm, const RfmScores& scores,
                              const std::vector<uint32_t>* users_by_id) {
    std::vector<uint32_t> own;
    if (users_by_id == nullptr || users_by_id->size() != model.users.size()) {
        own = users_by_id_text(model);
        users_by_id = &own;
    }
    std::string out = "user_id,days,orders,revenue,monetary,r,f,m,segment\n";
    for (uint32_t u : *users_by_id) {
        if (u >= scores.r.size() || scores.r[u] == 0) continue; // not a customer
        append_field(out, model.users.id(u), true);
        out += ',' + std::to_string(scores.days[u]) + ',' + std::to_string(scores.orders[u]);
        append_number(out, scores.revenue[u]);
        append_number(out, scores.monetary[u]);
        out += ',' + std::to_string(scores.r[u]) + ',' + std::to_string(scores.f[u]) + ',' +
               std::to_string(scores.m[u]) + ',';
        if (scores.segment[u] < rfm.segments.size())
            append_field(out, rfm.segments[scores.segment[u]].name, true);
        out += '\n';
    }
    return out;
}

} // namespace segx
