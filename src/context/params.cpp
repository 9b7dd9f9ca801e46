#include "context/params.hpp"

namespace cinesub::context {

const settings::schema<params>& params::schema() {
    static const auto s = settings::schema<params>().add(
        "context.glossary", &params::glossary,
        "User glossary (TSV: term, Devanagari form, aliases; prepare --glossary); its names win over TMDB's");
    return s;
}

}  // namespace cinesub::context
