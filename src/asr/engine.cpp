#include "asr/engine.hpp"

#include "asr/whisper_engine.hpp"

namespace cinesub::asr {

std::unique_ptr<engine> make_engine(const params& p) {
    if (p.engine == engine_kind::replay) return make_replay_engine(p.replay);
    return std::make_unique<whisper_engine>(p);
}

}  // namespace cinesub::asr
