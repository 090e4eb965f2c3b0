#include "core/audience/json_text.h"
#include "core/audience/predicate.h"
#include "core/audience/rule_eval.h"
#include "core/audience/text.h"

namespace segx {

std::string unknown_name(const char* what, const std::string& name, const std::vector<Column>& known) {
    std::string message = std::string("unknown ") + what + " " + quote(name);
    if (known.empty()) return message + " (the data has none)";
    message += " (known: ";
    constexpr size_t kShown = 12;
    for (size_t i = 0; i < known.size() && i < kShown; i++) {
        if (i > 0) message += ", ";
        message += quote(known[i].name, 40);
    }
    if (known.size() > kShown) message += ", and " + std::to_string(known.size() - kShown) + " more";
    return message + ")";
}

Bitmap eval_property_rule(const Model& model, const PropertyRule& rule, const std::string& path,
                          std::vector<AudienceError>& errors) {
    const Column* column = nullptr;
    for (const Column& c : model.attributes)
        if (c.name == rule.attribute) column = &c;
    if (column == nullptr) {
        std::string p = path;
        append_path_key(p, "attribute");
        errors.push_back(AudienceError{p, unknown_name("attribute", rule.attribute, model.attributes)});
        return Bitmap();
    }
    ColumnPredicate predicate;
    if (!compile_predicate(*column, "attribute " + quote(rule.attribute), rule.op, rule.values, rule.ci, path,
                           errors, &predicate))
        return Bitmap();
    return predicate_rows(predicate, model.users.size());
}

} // namespace segx
