#include "core/model/user_source.h"

#include "core/dataset/slack.h"

#include <stdexcept>

namespace segx {

size_t UserSource::memory_bytes() const {
    size_t total = name.capacity() + user_ids.memory_bytes() + row_of_user.capacity() * sizeof(uint32_t);
    for (const Column& c : attributes) total += c.memory_bytes();
    return total;
}

UserSourceBuilder::UserSourceBuilder(std::string name, std::vector<std::string> attribute_names) {
    out_.name = std::move(name);
    for (std::string& a : attribute_names) attributes_.emplace_back(std::move(a));
}

void UserSourceBuilder::append(size_t n, const ValueChunk& user_id,
                               const std::vector<ValueChunk>& attributes) {
    if (attributes.size() != attributes_.size())
        throw std::invalid_argument("source '" + out_.name + "': " + std::to_string(attributes.size()) +
                                    " attribute chunks for " + std::to_string(attributes_.size()) +
                                    " attribute names");
    check_chunk(user_id, n, out_.name, "user_id");
    for (size_t a = 0; a < attributes.size(); a++) {
        check_chunk(attributes[a], n, out_.name, attributes_[a].column.name);
        attributes_[a].check(attributes[a]);
    }
    if (out_.rejects.read + n > UINT32_MAX)
        throw std::length_error("source '" + out_.name + "': more than 4294967295 rows");

    RejectLog& log = out_.rejects;
    const uint64_t first_row = log.read;
    for (size_t i = 0; i < n; i++) {
        uint32_t row = uint32_t(first_row + i);
        std::string_view id = id_text_.of(user_id, i);
        if (id.empty()) {
            std::string example;
            if (log.wants_example(kRejectNoUserId)) {
                example = "row " + std::to_string(row + 1) + ": ";
                append_field(example, "user_id", user_id, i);
            }
            log.reject(kRejectNoUserId, std::move(example));
            continue;
        }
        uint32_t code = out_.user_ids.intern(id);
        if (code == out_.row_of_user.size()) {
            out_.row_of_user.push_back(row);
            continue;
        }
        uint32_t overridden = out_.row_of_user[code];
        out_.row_of_user[code] = row;
        std::string example;
        if (log.wants_example(kRejectDuplicateUser))
            example = "row " + std::to_string(overridden + 1) + ": user_id=" + quote_example(id) +
                      " (replaced by row " + std::to_string(row + 1) + ")";
        log.reject(kRejectDuplicateUser, std::move(example));
    }
    for (size_t a = 0; a < attributes_.size(); a++) attributes_[a].append(n, attributes[a]);
    log.read += n;
    log.kept = out_.row_of_user.size();
}

void UserSourceBuilder::expect(size_t rows) {
    rows += rows / 32;
    reserve_rows(out_.row_of_user, rows);
    for (ColumnBuilder& b : attributes_) b.expect(rows);
}

UserSource UserSourceBuilder::finish() {
    out_.attributes.clear();
    for (ColumnBuilder& b : attributes_) out_.attributes.push_back(b.finish());
    attributes_.clear();
    trim_slack(out_.row_of_user);
    return std::move(out_);
}

} // namespace segx
