#include "CRE2.h"

#include <re2/re2.h>
#include <cstring>

struct sluice_re2 {
    RE2 expression;
    sluice_re2(const char *pattern, size_t length, const RE2::Options &options)
        : expression(re2::StringPiece(pattern, length), options) {}
};

extern "C" sluice_re2 *sluice_re2_compile(const char *pattern, size_t length, char *error, size_t error_capacity) {
    RE2::Options options;
    options.set_log_errors(false);  // errors go back to the caller, not to stderr
    options.set_encoding(RE2::Options::EncodingUTF8);
    auto *compiled = new sluice_re2(pattern, length, options);
    if (compiled->expression.ok()) return compiled;
    if (error_capacity > 0) {
        const std::string &reason = compiled->expression.error();
        size_t count = reason.size() < error_capacity - 1 ? reason.size() : error_capacity - 1;
        std::memcpy(error, reason.data(), count);
        error[count] = '\0';
    }
    delete compiled;
    return nullptr;
}

extern "C" int sluice_re2_full_match(const sluice_re2 *re, const char *text, size_t length) {
    return RE2::FullMatch(re2::StringPiece(text, length), re->expression) ? 1 : 0;
}

extern "C" void sluice_re2_free(sluice_re2 *re) {
    delete re;
}
