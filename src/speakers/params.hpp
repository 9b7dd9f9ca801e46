// Settings of the speakers stage ("speakers.*"). The initialisers are the defaults.
#pragma once

#include "settings/schema.hpp"

#include <filesystem>
#include <map>
#include <string>

namespace cinesub::speakers {

struct params {
    bool enabled = true;        // false: the stage is skipped (no speakers.rttm; cues carry no speaker)
    int min_speakers = 1;       // prepare --min-speakers
    int max_speakers = 8;       // prepare --max-speakers
    double min_turn_s = 0.5;    // shorter turns join a neighbour
    std::filesystem::path map;  // prepare --speaker-map: TSV "SPEAKER_00 <TAB> name" (confirmed names); "" → none

    static const settings::schema<params>& schema();
};

// The speaker map (prepare --speaker-map), UTF-8 TSV: a diarization label ("SPEAKER_00") <TAB> the
// name to show (a character: "Jai"). '#' starts a comment line; blank lines are skipped. A line without
// two non-empty columns, a label given twice or text that is not UTF-8: error(input_corrupt) "FILE line N: …";
// a missing file: error(input_missing).
std::map<std::string, std::string> read_speaker_map(const std::filesystem::path& file);

}  // namespace cinesub::speakers
