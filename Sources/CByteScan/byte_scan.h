// Finding a CSV's field and record ends 64 bytes at a time with SSE2 (every x86-64 CPU has
// it; other CPUs get the same answer a byte at a time). Header-only and `static inline`, so
// Swift inlines it into the parser's loop. Swift's SIMD types have no way to turn a vector
// comparison into a bit mask (SSE2's movemask), which is the whole trick.
#ifndef SLUICE_BYTE_SCAN_H
#define SLUICE_BYTE_SCAN_H

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// For the 64 bytes at `p`: bit i of `stops` is set when byte i is `delimiter`, LF or CR,
/// of `delimiters` when it is `delimiter`, of `quotes` when it is `quote`, and of `high`
/// when byte i is not ASCII (its high bit is set).
typedef struct {
    uint64_t stops;
    uint64_t delimiters;
    uint64_t quotes;
    uint64_t high;
} sluice_block_masks;

static inline sluice_block_masks sluice_scan_block(const uint8_t *p, uint8_t delimiter, uint8_t quote) {
    sluice_block_masks masks;
    uint64_t stops = 0, delimiters = 0, quotes = 0, high = 0;
#if defined(__SSE2__)
    const __m128i d = _mm_set1_epi8((char)delimiter);
    const __m128i q = _mm_set1_epi8((char)quote);
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        __m128i isDelimiter = _mm_cmpeq_epi8(v, d);
        __m128i hit = _mm_or_si128(_mm_or_si128(isDelimiter, _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, cr));
        stops |= (uint64_t)(uint32_t)_mm_movemask_epi8(hit) << (16 * k);
        delimiters |= (uint64_t)(uint32_t)_mm_movemask_epi8(isDelimiter) << (16 * k);
        quotes |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q)) << (16 * k);
        high |= (uint64_t)(uint32_t)_mm_movemask_epi8(v) << (16 * k);
    }
#else
    for (int i = 0; i < 64; i++) {
        uint8_t c = p[i];
        if (c == delimiter || c == '\n' || c == '\r') stops |= (uint64_t)1 << i;
        if (c == delimiter) delimiters |= (uint64_t)1 << i;
        if (c == quote) quotes |= (uint64_t)1 << i;
        if (c & 0x80) high |= (uint64_t)1 << i;
    }
#endif
    masks.stops = stops;
    masks.delimiters = delimiters;
    masks.quotes = quotes;
    masks.high = high;
    return masks;
}

#endif
