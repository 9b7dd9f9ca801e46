// Settings of the context stage (glossary). The initialisers are the defaults.
#pragma once

#include "settings/schema.hpp"

#include <filesystem>

namespace cinesub::context {

struct params {
    std::filesystem::path glossary;  // user glossary TSV (prepare --glossary); "" → none

    static const settings::schema<params>& schema();
};

// Settings of the correction stage (names across scripts).
struct correction_params {
    bool enabled = true;   // false: the transcripts pass through unchanged
    int max_distance = 1;  // edits allowed between name skeletons
    int min_length = 5;    // shorter name skeletons must match exactly

    static const settings::schema<correction_params>& schema();
};

}  // namespace cinesub::context
