#include "cinesub/speakers.hpp"

#include "speakers/der.hpp"
#include "speakers/rttm.hpp"

#include <fmt/format.h>

namespace cinesub {

der_report evaluate_der(const std::filesystem::path& ref, const std::filesystem::path& hyp, double collar,
                        bool skip_overlap) {
    const speakers::der_options options{.collar = collar, .skip_overlap = skip_overlap};
    speakers::check_der_options(options);
    const auto ref_files = speakers::read_rttm(ref);
    const auto hyp_files = speakers::read_rttm(hyp);
    const auto r = speakers::score_der(ref_files, hyp_files, options);

    der_report out;
    out.scored_seconds = r.total;
    out.missed_seconds = r.missed;
    out.false_alarm_seconds = r.false_alarm;
    out.confusion_seconds = r.confusion;
    out.der = r.der;
    out.missed_rate = speakers::error_rate(r.missed, r.total);
    out.false_alarm_rate = speakers::error_rate(r.false_alarm, r.total);
    out.confusion_rate = speakers::error_rate(r.confusion, r.total);
    out.ref_speakers = r.ref_speakers;
    out.hyp_speakers = r.hyp_speakers;
    for (const auto& m : r.mapping) out.mapping.push_back({m.file_id, m.ref, m.hyp, m.overlap});
    out.collar = collar;
    out.skip_overlap = skip_overlap;
    out.convention = (collar > 0 ? fmt::format("collar ±{} s around reference boundaries", collar) : "no collar") +
                     (skip_overlap ? ", overlap not scored" : ", overlap scored");
    return out;
}

}  // namespace cinesub
