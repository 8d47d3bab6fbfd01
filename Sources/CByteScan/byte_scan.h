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
/// of `delimiters` when it is `delimiter`, of `lineFeeds` when it is LF, of `quotes` when
/// it is `quote`, and of `high` when byte i is not ASCII (its high bit is set).
typedef struct {
    uint64_t stops;
    uint64_t delimiters;
    uint64_t lineFeeds;
    uint64_t quotes;
    uint64_t high;
} sluice_block_masks;

static inline sluice_block_masks sluice_scan_block(const uint8_t *p, uint8_t delimiter, uint8_t quote) {
    sluice_block_masks masks;
    uint64_t stops = 0, delimiters = 0, lineFeeds = 0, quotes = 0, high = 0;
#if defined(__SSE2__)
    const __m128i d = _mm_set1_epi8((char)delimiter);
    const __m128i q = _mm_set1_epi8((char)quote);
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        __m128i isDelimiter = _mm_cmpeq_epi8(v, d);
        __m128i isLineFeed = _mm_cmpeq_epi8(v, lf);
        __m128i hit = _mm_or_si128(_mm_or_si128(isDelimiter, isLineFeed), _mm_cmpeq_epi8(v, cr));
        stops |= (uint64_t)(uint32_t)_mm_movemask_epi8(hit) << (16 * k);
        delimiters |= (uint64_t)(uint32_t)_mm_movemask_epi8(isDelimiter) << (16 * k);
        lineFeeds |= (uint64_t)(uint32_t)_mm_movemask_epi8(isLineFeed) << (16 * k);
        quotes |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q)) << (16 * k);
        high |= (uint64_t)(uint32_t)_mm_movemask_epi8(v) << (16 * k);
    }
#else
    for (int i = 0; i < 64; i++) {
        uint8_t c = p[i];
        if (c == delimiter || c == '\n' || c == '\r') stops |= (uint64_t)1 << i;
        if (c == delimiter) delimiters |= (uint64_t)1 << i;
        if (c == '\n') lineFeeds |= (uint64_t)1 << i;
        if (c == quote) quotes |= (uint64_t)1 << i;
        if (c & 0x80) high |= (uint64_t)1 << i;
    }
#endif
    masks.stops = stops;
    masks.delimiters = delimiters;
    masks.lineFeeds = lineFeeds;
    masks.quotes = quotes;
    masks.high = high;
    return masks;
}

/// Bits of an entry of `sluice_index_plain_records`: the field ends at a line feed (the
/// record's last field), and the record has a non-ASCII byte; the rest is the offset.
#define SLUICE_INDEX_RECORD_END 0x80000000u
#define SLUICE_INDEX_NON_ASCII 0x40000000u
#define SLUICE_INDEX_OFFSET 0x3FFFFFFFu

/// Bit masks of the 64 bytes at `p` that the index reads: delimiters, line feeds, the bytes
/// it leaves to the byte-exact reader (quote, CR) and non-ASCII bytes. The last two are rare:
/// one test for any first, the exact mask only then.
typedef struct {
    uint64_t delimiters;
    uint64_t lineFeeds;
    uint64_t unsafe;
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
    __m256i unsafeLo = _mm256_or_si256(_mm256_cmpeq_epi8(lo, q), _mm256_cmpeq_epi8(lo, cr));
    __m256i unsafeHi = _mm256_or_si256(_mm256_cmpeq_epi8(hi, q), _mm256_cmpeq_epi8(hi, cr));
    masks.unsafe = _mm256_movemask_epi8(_mm256_or_si256(unsafeLo, unsafeHi)) ? sluice_mask_avx2(unsafeLo, unsafeHi) : 0;
    masks.high = _mm256_movemask_epi8(_mm256_or_si256(lo, hi)) ? sluice_mask_avx2(lo, hi) : 0;
    return masks;
}
#endif

/// `sluice_index_block_avx2` with SSE2 (`sluice_scan_block`): the CRs are the stops that
/// are neither delimiters nor LFs (the index is not used when the delimiter is CR or LF).
static inline sluice_index_masks sluice_index_block(const uint8_t *p, uint8_t delimiter, uint8_t quote) {
    sluice_block_masks block = sluice_scan_block(p, delimiter, quote);
    sluice_index_masks masks;
    masks.delimiters = block.delimiters;
    masks.lineFeeds = block.lineFeeds;
    masks.unsafe = block.quotes | (block.stops & ~block.delimiters & ~block.lineFeeds);
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

/// The loop of `sluice_index_plain_records`, over blocks masked by `BLOCK`.
#define SLUICE_INDEX_LOOP(BLOCK)                                                                \
    for (size_t i = start; i + 64 <= end && count + 64 <= capacity; i += 64) {                \
        sluice_index_masks m = BLOCK(p + i, delimiter, quote);                                \
        uint64_t stops = m.delimiters | m.lineFeeds;                                          \
        /* Only the records that end before the first quote or CR. */                         \
        if (m.unsafe) stops &= ((uint64_t)1 << __builtin_ctzll(m.unsafe)) - 1;                \
        /* The bits of this block from the current record's start on. */                      \
        uint64_t current = ~(uint64_t)0;                                                      \
        while (stops) {                                                                       \
            unsigned bit = (unsigned)__builtin_ctzll(stops);                                  \
            stops &= stops - 1;                                                               \
            uint32_t offset = (uint32_t)(i + bit);                                            \
            if ((m.lineFeeds >> bit) & 1) {                                                   \
                uint64_t before = ((uint64_t)1 << bit) - 1;                                   \
                uint32_t nonASCII = (earlierHigh | (m.high & current & before)) ? SLUICE_INDEX_NON_ASCII : 0; \
                entries[count++] = offset | SLUICE_INDEX_RECORD_END | nonASCII;               \
                complete = count;                                                             \
                recordStart = i + bit + 1;                                                    \
                earlierHigh = 0;                                                              \
                current = bit == 63 ? 0 : ~(uint64_t)0 << (bit + 1);                          \
            } else {                                                                          \
                entries[count++] = offset;                                                    \
            }                                                                                 \
        }                                                                                     \
        if (m.unsafe) break;                                                                  \
        earlierHigh |= m.high & current;                                                      \
    }

#if defined(SLUICE_INDEX_AVX2)
__attribute__((target("avx2")))
static size_t sluice_index_plain_records_avx2(const uint8_t *p, size_t start, size_t end, uint8_t delimiter, uint8_t quote,
                                              uint32_t *entries, size_t capacity, size_t *next) {
    size_t count = 0, complete = 0, recordStart = start;
    uint64_t earlierHigh = 0;
    SLUICE_INDEX_LOOP(sluice_index_block_avx2)
    *next = recordStart;
    return complete;
}
#endif

/// A structural index of the plain records at the start of `p[start..<end)`: records ended
/// by LF whose bytes hold no quote and no CR, so that every delimiter ends a field and every
/// LF a record. Writes the offset (from `p`) of each field's end, its delimiter or LF, to
/// `entries`, an LF's with `SLUICE_INDEX_RECORD_END` (and `SLUICE_INDEX_NON_ASCII` when the
/// record has a byte >= 0x80). Stops before the first record with a quote or CR, before a
/// record that the whole 64-byte blocks before `end` do not finish, and before a block that
/// `capacity` entries have no room for. Returns the number of entries of whole records;
/// `*next` is where the record after them starts. Offsets must fit in 30 bits. What it
/// leaves (quoted fields, CR, the data's last bytes) is for the caller's byte-exact reader.
/// `avx2`: use AVX2 (when `sluice_has_avx2()` said so), else SSE2.
static inline size_t sluice_index_plain_records(const uint8_t *p, size_t start, size_t end, uint8_t delimiter, uint8_t quote,
                                                uint32_t *entries, size_t capacity, size_t *next, int avx2) {
#if defined(SLUICE_INDEX_AVX2)
    if (avx2) return sluice_index_plain_records_avx2(p, start, end, delimiter, quote, entries, capacity, next);
#endif
    size_t count = 0, complete = 0, recordStart = start;
    // Whether the current record had a non-ASCII byte in an earlier block.
    uint64_t earlierHigh = 0;
    SLUICE_INDEX_LOOP(sluice_index_block)
    *next = recordStart;
    return complete;
}

#endif
