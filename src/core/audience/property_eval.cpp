#include "core/audience/rule_eval.h"
#include "core/lang/json_text.h"
#include "core/lang/predicate.h"
#include "core/lang/text.h"

namespace segx {

Bitmap eval_property_rule(const Model& model, const PropertyRule& rule, const std::string& path,
                          std::vector<DefinitionError>& errors) {
    const Column* column = nullptr;
    for (const Column& c : model.attributes)
        if (c.name == rule.attribute) column = &c;
    if (column == nullptr) {
        std::string p = path;
        append_path_key(p, "attribute");
        errors.push_back(DefinitionError{p, unknown_name("attribute", rule.attribute, model.attributes)});
        return Bitmap();
    }
    ColumnPredicate predicate;
    if (!compile_predicate(*column, "attribute " + quote(rule.attribute), rule.op, rule.values, rule.ci, path,
                           errors, &predicate))
        return Bitmap();
    return predicate_rows(predicate, model.users.size());
}

} // namespace segx
