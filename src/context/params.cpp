#include "context/params.hpp"

namespace cinesub::context {

const settings::schema<params>& params::schema() {
    static const auto s = settings::schema<params>().add(
        "context.glossary", &params::glossary,
        "User glossary (TSV: term, Devanagari form, aliases; prepare --glossary); its names win over TMDB's");
    return s;
}

const settings::schema<correction_params>& correction_params::schema() {
    static const auto s =
        settings::schema<correction_params>()
            .add("correction.enabled", &correction_params::enabled,
                 "Correct near-misses of glossary names in every track (corrections.json lists each change)")
            .add("correction.max_distance", &correction_params::max_distance,
                 "Edits allowed between a word's name skeleton and a glossary name's", {.min = 0, .max = 3})
            .add("correction.min_length", &correction_params::min_length,
                 "Names whose skeleton is shorter than this must match exactly (no edits)", {.min = 1, .max = 20});
    return s;
}

}  // namespace cinesub::context
