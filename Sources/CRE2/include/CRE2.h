// A C interface to RE2 (a C++ library) for Swift: compile once, match whole cells.
#ifndef SLUICE_CRE2_H
#define SLUICE_CRE2_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sluice_re2 sluice_re2;

/// Compiles a UTF-8 pattern. Returns NULL when RE2 cannot express it, with RE2's reason
/// copied (NUL-terminated, cut to fit) into `error`.
sluice_re2 *sluice_re2_compile(const char *pattern, size_t length, char *error, size_t error_capacity);

/// 1 when the whole of `text` matches (Table Schema's implicitly anchored patterns), else 0.
int sluice_re2_full_match(const sluice_re2 *re, const char *text, size_t length);

void sluice_re2_free(sluice_re2 *re);

#ifdef __cplusplus
}
#endif

#endif
