// Short plain numbers of a CSV cell read in one 16-byte SSE2 register: the cell's bytes
// classified (digits, the point) with a few vector comparisons and two bit masks, the
// digits combined by multiply-adds (pmaddwd) into one integer, then one IEEE division
// (Clinger's exact case). Header-only and `static inline`, so Swift inlines it into the
// validation loop: SSE2 is every x86-64 CPU's baseline, so no CPU test and no call is
// needed. Other CPUs get the same answers a byte at a time (`*_portable`).
//
// What the readers accept is a subset of `NumberSyntax.double` / `integer` (Swift), with
// their values bit for bit; everything else (white space, exponents, long numbers,
// anything not a number) is refused and left to those exact readers.
#ifndef SLUICE_NUMBER_SCAN_H
#define SLUICE_NUMBER_SCAN_H

#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// 10^k for k in 0...15, every one an exact double.
static const double sluice_exact_powers_of_ten[16] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
};

/// The inverse of 5^k modulo 2^64 for k in 0...15: a multiple of 10^k is divided by it
/// exactly with a shift by k and one multiplication by this.
static const uint64_t sluice_inverse_powers_of_five[16] = {
    0x0000000000000001ULL, 0xCCCCCCCCCCCCCCCDULL, 0x8F5C28F5C28F5C29ULL, 0x1CAC083126E978D5ULL,
    0xD288CE703AFB7E91ULL, 0x5D4E8FB00BCBE61DULL, 0x790FB65668C26139ULL, 0xE5032477AE8D46A5ULL,
    0xC767074B22E90E21ULL, 0x8E47CE423A2E9C6DULL, 0x4FA7F60D3ED61F49ULL, 0x0FEE64690C913975ULL,
    0x3662E0E1CF503EB1ULL, 0xA47A2CF9F6433FBDULL, 0x54186F653140A659ULL, 0x7738164770402145ULL,
};

/// What a reader found in a cell: `digits` (0 when refused) significant-or-not digits,
/// `integerDigits` of them before the point, and `scaled`, the digits as one integer
/// times 10^(15 - digits) (the digits "left-aligned" in 15 places), which is below 10^15.
typedef struct {
    uint64_t scaled;
    unsigned digits;
    unsigned integerDigits;
} sluice_short_number;

#if defined(__SSE2__)
/// 16 bytes of 0xFF then 16 of 0: the 16 bytes at `sluice_lanes_ + 16 - k` select lanes 0..<k.
static const uint8_t sluice_lanes_[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

static inline __m128i sluice_lanes_below(unsigned k) {
    return _mm_loadu_si128((const __m128i *)(sluice_lanes_ + 16 - k));
}

/// The cell `p[0..<m)` without its sign: `d*(.d*)?` with 1 to 15 digits, at most 16 bytes.
/// Loads the 16 bytes at `p` (the caller's padding makes them readable). `point`: allow a
/// decimal point. `value`: also combine the digits (else only `digits` is set).
static inline sluice_short_number sluice_short_number_sse2(const uint8_t *p, size_t m, int point, int value) {
    sluice_short_number result = {0, 0, 0};
    if (m - 1 >= 16) return result;  // empty or longer than a register
    const __m128i bytes = _mm_loadu_si128((const __m128i *)p);
    // Digits as 0...9; a lane is a digit when the unsigned minimum with 9 leaves it as is.
    const __m128i values = _mm_sub_epi8(bytes, _mm_set1_epi8('0'));
    const unsigned digitLanes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(values, _mm_set1_epi8(9)), values));
    const unsigned cell = (1u << m) - 1;
    const unsigned points = point ? (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('.'))) & cell : 0;
    // Every byte a digit but at most one point.
    if (((digitLanes & cell) | points) != cell || (points & (points - 1))) return result;
    const unsigned digits = (unsigned)m - (points != 0);
    if (digits == 0 || digits > 15) return result;
    result.digits = digits;
    result.integerDigits = points ? (unsigned)__builtin_ctz(points) : (unsigned)m;
    if (!value) return result;
    // Lane 0 a zero, the integer digits moved up one lane over the point, the decimals in
    // place: the digits "left-aligned" in lanes 1...15, then the lanes after them zeroed.
    const __m128i moved = sluice_lanes_below(result.integerDigits + 1);
    __m128i aligned = _mm_or_si128(_mm_and_si128(moved, _mm_slli_si128(values, 1)), _mm_andnot_si128(moved, values));
    aligned = _mm_and_si128(aligned, sluice_lanes_below(digits + 1));
    // Pairs (10 a + b), fours (100 ab + cd), eights (10^4 abcd + efgh), each a multiply-add
    // of neighbouring 16-bit lanes: 16 digits as two 8-digit integers.
    const __m128i zero = _mm_setzero_si128();
    const __m128i ten = _mm_set1_epi32(0x0001000A);
    __m128i pairs = _mm_packs_epi32(_mm_madd_epi16(_mm_unpacklo_epi8(aligned, zero), ten),
                                    _mm_madd_epi16(_mm_unpackhi_epi8(aligned, zero), ten));
    __m128i fours = _mm_madd_epi16(pairs, _mm_set1_epi32(0x00010064));
    fours = _mm_packs_epi32(fours, fours);
    const __m128i eights = _mm_madd_epi16(fours, _mm_set1_epi32(0x00012710));
    const uint64_t both = (uint64_t)_mm_cvtsi128_si64(eights);
    result.scaled = (both & 0xFFFFFFFFu) * 100000000u + (both >> 32);
    return result;
}
#endif

/// `sluice_short_number_sse2` a byte at a time, for other CPUs (and to test against).
/// Reads only `p[0..<m)`.
static inline sluice_short_number sluice_short_number_portable(const uint8_t *p, size_t m, int point, int value) {
    sluice_short_number result = {0, 0, 0};
    if (m - 1 >= 16) return result;
    uint64_t significand = 0;
    unsigned digits = 0, integerDigits = (unsigned)m;
    int seenPoint = 0;
    for (size_t i = 0; i < m; i++) {
        const unsigned digit = (unsigned)p[i] - '0';
        if (digit < 10) {
            significand = significand * 10 + digit;
            digits++;
        } else if (point && p[i] == '.' && !seenPoint) {
            seenPoint = 1;
            integerDigits = (unsigned)i;
        } else {
            return result;
        }
    }
    if (digits == 0 || digits > 15) return result;
    result.digits = digits;
    result.integerDigits = integerDigits;
    if (value) {
        for (unsigned k = digits; k < 15; k++) significand *= 10;
        result.scaled = significand;
    }
    return result;
}

/// The reader for this CPU.
static inline sluice_short_number sluice_short_number_read(const uint8_t *p, size_t m, int point, int value, int portable) {
#if defined(__SSE2__)
    if (!portable) return sluice_short_number_sse2(p, m, point, value);
#endif
    return sluice_short_number_portable(p, m, point, value);
}

/// Whether the cell `p[0..<n)` is a short plain decimal, `[+-]?d*(.d*)?` with 1 to 15
/// digits, at most 16 bytes after the sign; if so `*value` is its correctly rounded value,
/// `NumberSyntax.double`'s bit for bit. Needs 16 readable bytes after the cell (the
/// reader's padding) unless `portable`.
static inline int sluice_short_decimal(const uint8_t *p, size_t n, double *value, int portable) {
    if (n == 0) return 0;
    const int sign = p[0] == '-' || p[0] == '+';
    const sluice_short_number number = sluice_short_number_read(p + sign, n - sign, 1, 1, portable);
    if (number.digits == 0) return 0;
    // scaled / 10^(15 - integerDigits) is the number; both are exact doubles (below 2^53),
    // so the one division rounds the exact quotient once, correctly (Clinger).
    const double magnitude = (double)(int64_t)number.scaled / sluice_exact_powers_of_ten[15 - number.integerDigits];
    *value = p[0] == '-' ? -magnitude : magnitude;
    return 1;
}

/// Whether `sluice_short_decimal` reads the cell, without combining its digits: for a
/// column whose every finite number passes.
static inline int sluice_is_short_decimal(const uint8_t *p, size_t n, int portable) {
    if (n == 0) return 0;
    const int sign = p[0] == '-' || p[0] == '+';
    return sluice_short_number_read(p + sign, n - sign, 1, 0, portable).digits != 0;
}

/// Whether the cell `p[0..<n)` is a short integer, `[+-]?d{1,15}`; if so `*value` is its
/// value (`NumberSyntax.integer`'s). Padding as for `sluice_short_decimal`.
static inline int sluice_short_integer(const uint8_t *p, size_t n, int64_t *value, int portable) {
    if (n == 0) return 0;
    const int sign = p[0] == '-' || p[0] == '+';
    const sluice_short_number number = sluice_short_number_read(p + sign, n - sign, 0, 1, portable);
    if (number.digits == 0) return 0;
    // scaled is the integer times 10^k = 2^k 5^k: shift, then divide by 5^k exactly.
    const unsigned k = 15 - number.digits;
    const int64_t magnitude = (int64_t)((number.scaled >> k) * sluice_inverse_powers_of_five[k]);
    *value = p[0] == '-' ? -magnitude : magnitude;
    return 1;
}

/// Whether `sluice_short_integer` reads the cell, without combining its digits.
static inline int sluice_is_short_integer(const uint8_t *p, size_t n, int portable) {
    if (n == 0) return 0;
    const int sign = p[0] == '-' || p[0] == '+';
    return sluice_short_number_read(p + sign, n - sign, 0, 0, portable).digits != 0;
}

#endif
