#include "cinesub/error.hpp"

namespace cinesub {

int exit_code(errc code) noexcept { return static_cast<int>(code); }

std::string_view errc_name(errc code) noexcept {
    switch (code) {
        case errc::internal:
            return "internal";
        case errc::usage:
            return "usage";
        case errc::input_missing:
            return "input_missing";
        case errc::input_unreadable:
            return "input_unreadable";
        case errc::input_not_media:
            return "input_not_media";
        case errc::input_no_audio:
            return "input_no_audio";
        case errc::input_empty_audio:
            return "input_empty_audio";
        case errc::input_corrupt:
            return "input_corrupt";
        case errc::range_invalid:
            return "range_invalid";
        case errc::range_outside:
            return "range_outside";
        case errc::job_not_found:
            return "job_not_found";
        case errc::job_schema_newer:
            return "job_schema_newer";
        case errc::job_locked:
            return "job_locked";
        case errc::job_invalid:
            return "job_invalid";
        case errc::io:
            return "io";
        case errc::model_missing:
            return "model_missing";
        case errc::model_invalid:
            return "model_invalid";
        case errc::network:
            return "network";
        case errc::service:
            return "service";
        case errc::stage_failed:
            return "stage_failed";
        case errc::stage_timeout:
            return "stage_timeout";
        case errc::check_failed:
            return "check_failed";
        case errc::interrupted:
            return "interrupted";
    }
    return "unknown";
}

}  // namespace cinesub
