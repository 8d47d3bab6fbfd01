// Finding a CSV's field and record ends 64 bytes at a time with SSE2 (every x86-64 CPU has
// it; other CPUs get the same answer a byte at a time). Header-only and `static inline`, so
// Swift inlines it into the parser's loop. Swift's SIMD types have no way to turn a vector
// comparison into a bit mask (SSE2's movemask), which is the whole trick.
#ifndef SLUICE_BYTE_SCAN_H
#define SLUICE_BYTE_SCAN_H

#include <stddef.h>
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

/// Bits of an entry of `sluice_index_plain_records`: the field ends a record (at its LF or
/// CRLF), the record has a non-ASCII byte, the record ends with CRLF (the offset is the
/// CR's); the rest is the offset.
#define SLUICE_INDEX_RECORD_END 0x80000000u
#define SLUICE_INDEX_NON_ASCII 0x40000000u
#define SLUICE_INDEX_CRLF 0x20000000u
#define SLUICE_INDEX_OFFSET 0x1FFFFFFFu

/// Bit masks of the 64 bytes at `p` that the index reads: delimiters, line feeds, quotes,
/// carriage returns and non-ASCII bytes. The last three are rare in most files: one test
/// for any first, the exact masks only then.
typedef struct {
    uint64_t delimiters;
    uint64_t lineFeeds;
    uint64_t quotes;
    uint64_t carriageReturns;
    uint64_t high;
} sluice_index_masks;

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>
#include <cpuid.h>
#define SLUICE_INDEX_AVX2 1

__attribute__((target("avx2")))
static inline uint64_t sluice_mask_avx2(__m256i lo, __m256i hi) {
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(lo) | ((uint64_t)(uint32_t)_mm256_movemask_epi8(hi) << 32);
}

__attribute__((target("avx2")))
static inline sluice_index_masks sluice_index_block_avx2(const uint8_t *p, uint8_t delimiter, uint8_t quote) {
    sluice_index_masks masks;
    const __m256i d = _mm256_set1_epi8((char)delimiter);
    const __m256i q = _mm256_set1_epi8((char)quote);
    const __m256i lf = _mm256_set1_epi8('\n');
    const __m256i cr = _mm256_set1_epi8('\r');
    __m256i lo = _mm256_loadu_si256((const __m256i *)p);
    __m256i hi = _mm256_loadu_si256((const __m256i *)(p + 32));
    masks.delimiters = sluice_mask_avx2(_mm256_cmpeq_epi8(lo, d), _mm256_cmpeq_epi8(hi, d));
    masks.lineFeeds = sluice_mask_avx2(_mm256_cmpeq_epi8(lo, lf), _mm256_cmpeq_epi8(hi, lf));
    __m256i quoteLo = _mm256_cmpeq_epi8(lo, q), quoteHi = _mm256_cmpeq_epi8(hi, q);
    __m256i returnLo = _mm256_cmpeq_epi8(lo, cr), returnHi = _mm256_cmpeq_epi8(hi, cr);
    if (_mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(quoteLo, quoteHi), _mm256_or_si256(returnLo, returnHi)))) {
        masks.quotes = sluice_mask_avx2(quoteLo, quoteHi);
        masks.carriageReturns = sluice_mask_avx2(returnLo, returnHi);
    } else {
        masks.quotes = 0;
        masks.carriageReturns = 0;
    }
    masks.high = _mm256_movemask_epi8(_mm256_or_si256(lo, hi)) ? sluice_mask_avx2(lo, hi) : 0;
    return masks;
}
#endif

/// Bit i set when byte i of the 64 at `p` is `byte`.
static inline uint64_t sluice_byte_mask(const uint8_t *p, uint8_t byte) {
    uint64_t mask = 0;
#if defined(__SSE2__)
    const __m128i b = _mm_set1_epi8((char)byte);
    for (int k = 0; k < 4; k++) {
        mask |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * k)), b)) << (16 * k);
    }
#else
    for (int k = 0; k < 64; k++) mask |= (uint64_t)(p[k] == byte) << k;
#endif
    return mask;
}

/// `sluice_index_block_avx2` with SSE2 (`sluice_scan_block` and the CRs): the LFs are the
/// stops that are neither delimiters nor CRs (the index is not used when the delimiter is
/// CR or LF).
static inline sluice_index_masks sluice_index_block(const uint8_t *p, uint8_t delimiter, uint8_t quote) {
    sluice_block_masks block = sluice_scan_block(p, delimiter, quote);
    sluice_index_masks masks;
    masks.delimiters = block.delimiters;
    masks.carriageReturns = sluice_byte_mask(p, '\r');
    masks.lineFeeds = block.stops & ~block.delimiters & ~masks.carriageReturns;
    masks.quotes = block.quotes;
    masks.high = block.high;
    return masks;
}

/// Whether this CPU and its operating system run AVX2 (CPUID leaf 7 and the YMM state
/// saved by XSAVE).
static inline int sluice_has_avx2(void) {
#if defined(SLUICE_INDEX_AVX2)
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE)) return 0;
    unsigned lo, hi;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6) != 6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & bit_AVX2) != 0;
#else
    return 0;
#endif
}

/// The loop of `sluice_index_plain_records`, over blocks masked by `BLOCK`. A CR is a
/// line end's when an LF follows it (in the same block, or at the next block's start for a
/// CR in its last byte: `returnCarry`); any other CR stops the index like a quote.
#define SLUICE_INDEX_LOOP(BLOCK)                                                                \
    for (size_t i = start; i + 64 <= end && count + 64 <= capacity; i += 64) {                \
        sluice_index_masks m = BLOCK(p + i, delimiter, quote);                                \
        uint64_t stops = m.delimiters | m.lineFeeds;                                          \
        uint64_t unsafe = m.quotes, crlf = 0;                                                 \
        if (m.carriageReturns | returnCarry) {                                                \
            /* LFs after a CR; CRs before no LF (the last byte's: see the next block). */     \
            crlf = ((m.carriageReturns & (m.lineFeeds >> 1)) << 1) | (returnCarry & m.lineFeeds & 1); \
            unsafe |= m.carriageReturns & ~(m.lineFeeds >> 1) & ~((uint64_t)1 << 63);         \
            if (returnCarry && !(m.lineFeeds & 1)) unsafe |= 1;                               \
            returnCarry = m.carriageReturns >> 63;                                            \
        }                                                                                     \
        /* Only the records that end before the first quote or lone CR. */                    \
        if (unsafe) stops &= ((uint64_t)1 << __builtin_ctzll(unsafe)) - 1;                    \
        /* The bits of this block from the current record's start on. */                      \
        uint64_t current = ~(uint64_t)0;                                                      \
        while (stops) {                                                                       \
            unsigned bit = (unsigned)__builtin_ctzll(stops);                                  \
            stops &= stops - 1;                                                               \
            uint32_t offset = (uint32_t)(i + bit);                                            \
            if ((m.lineFeeds >> bit) & 1) {                                                   \
                uint64_t before = ((uint64_t)1 << bit) - 1;                                   \
                uint32_t nonASCII = (earlierHigh | (m.high & current & before)) ? SLUICE_INDEX_NON_ASCII : 0; \
                uint32_t afterReturn = (uint32_t)((crlf >> bit) & 1);                         \
                entries[count++] = (offset - afterReturn) | SLUICE_INDEX_RECORD_END | nonASCII | (afterReturn ? SLUICE_INDEX_CRLF : 0); \
                complete = count;                                                             \
                recordStart = i + bit + 1;                                                    \
                earlierHigh = 0;                                                              \
                current = bit == 63 ? 0 : ~(uint64_t)0 << (bit + 1);                          \
            } else {                                                                          \
                entries[count++] = offset;                                                    \
            }                                                                                 \
        }                                                                                     \
        if (unsafe) break;                                                                    \
        earlierHigh |= m.high & current;                                                      \
    }

#if defined(SLUICE_INDEX_AVX2)
__attribute__((target("avx2")))
static size_t sluice_index_plain_records_avx2(const uint8_t *p, size_t start, size_t end, uint8_t delimiter, uint8_t quote,
                                              uint32_t *entries, size_t capacity, size_t *next) {
    size_t count = 0, complete = 0, recordStart = start;
    uint64_t earlierHigh = 0, returnCarry = 0;
    SLUICE_INDEX_LOOP(sluice_index_block_avx2)
    *next = recordStart;
    return complete;
}
#endif

/// A structural index of the plain records at the start of `p[start..<end)`: records ended
/// by LF or CRLF whose bytes hold no quote and no other CR, so that every delimiter ends a
/// field and every LF a record. Writes the offset (from `p`) of each field's end, its
/// delimiter, LF or CRLF's CR, to `entries`, a record end's with `SLUICE_INDEX_RECORD_END`
/// (and `SLUICE_INDEX_CRLF`, and `SLUICE_INDEX_NON_ASCII` when the record has a byte
/// >= 0x80). Stops before the first record with a quote or lone CR, before a
/// record that the whole 64-byte blocks before `end` do not finish, and before a block that
/// `capacity` entries have no room for. Returns the number of entries of whole records;
/// `*next` is where the record after them starts. Offsets must fit in 29 bits. What it
/// leaves (quoted fields, lone CRs, the data's last bytes) is for the caller's byte-exact reader.
/// `avx2`: use AVX2 (when `sluice_has_avx2()` said so), else SSE2.
static inline size_t sluice_index_plain_records(const uint8_t *p, size_t start, size_t end, uint8_t delimiter, uint8_t quote,
                                                uint32_t *entries, size_t capacity, size_t *next, int avx2) {
#if defined(SLUICE_INDEX_AVX2)
    if (avx2) return sluice_index_plain_records_avx2(p, start, end, delimiter, quote, entries, capacity, next);
#endif
    size_t count = 0, complete = 0, recordStart = start;
    // Whether the current record had a non-ASCII byte in an earlier block; whether the last
    // block ended with a CR.
    uint64_t earlierHigh = 0, returnCarry = 0;
    SLUICE_INDEX_LOOP(sluice_index_block)
    *next = recordStart;
    return complete;
}

#endif
