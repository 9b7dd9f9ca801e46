// Settings of the context stage (glossary). The initialisers are the defaults.
#pragma once

#include "settings/schema.hpp"

#include <filesystem>

namespace cinesub::context {

struct params {
    std::filesystem::path glossary;  // user glossary TSV (prepare --glossary); "" → none

    static const settings::schema<params>& schema();
};

}  // namespace cinesub::context
