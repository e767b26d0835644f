/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "counting-bloom-filter.h"

#include "ns3/assert.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CountingBloomFilter");

namespace
{

/// Bytes needed for \p bits bits.
uint64_t
BytesFor(uint64_t bits)
{
    return (bits + 7) / 8;
}

uint32_t
PopCount(const std::vector<uint8_t>& bytes)
{
    // Eight bytes at a time: without a popcount instruction (the baseline x86-64 has none)
    // each __builtin_popcount is a call into libgcc, and a filter has thousands of bytes.
    uint32_t n = 0;
    size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8)
    {
        uint64_t word;
        std::memcpy(&word, bytes.data() + i, 8);
        n += __builtin_popcountll(word);
    }
    for (; i < bytes.size(); ++i)
    {
        n += __builtin_popcount(bytes[i]);
    }
    return n;
}

} // namespace

// ---------------------------------------------------------------------------- BloomHash

uint64_t
BloomHash::Mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

void
BloomHash::Indices(uint32_t key, uint32_t k, uint32_t m, IndexArray& out)
{
    NS_ASSERT(m > 0 && k <= kMaxHashes);
    uint64_t h = Mix64(key);
    // Enhanced double hashing, in its incremental form: a_i = h1 + i h2 + (i^3 - i)/6.
    uint64_t a = uint32_t(h) % m;
    uint64_t b = uint32_t(h >> 32) % m;
    for (uint32_t i = 0; i < k; ++i)
    {
        out[i] = static_cast<uint32_t>(a);
        // (a + b) mod m and (b + i + 1) mod m by subtraction: a and b stay below m, so the
        // sums are below 2m and m + k (a division per step cost more than the rest).
        a += b;
        if (a >= m)
        {
            a -= m;
        }
        b += i + 1;
        while (b >= m)
        {
            b -= m;
        }
    }
}

// ---------------------------------------------------------------------------- BloomFilter

BloomFilter::BloomFilter(uint32_t numBits, uint8_t numHashes)
    : m_numBits(numBits)
    , m_numHashes(numHashes)
    , m_bits(BytesFor(numBits), 0)
{
    NS_ASSERT_MSG(numBits > 0, "a Bloom filter needs at least one cell");
    NS_ASSERT_MSG(numHashes >= 1 && numHashes <= kMaxHashes, "k out of range");
}

void
BloomFilter::Insert(uint32_t key)
{
    BloomHash::IndexArray idx;
    BloomHash::Indices(key, m_numHashes, m_numBits, idx);
    for (uint32_t j = 0; j < m_numHashes; ++j)
    {
        m_bits[idx[j] / 8] |= uint8_t(1u << (idx[j] % 8));
    }
    ++m_population;
}

bool
BloomFilter::Contains(uint32_t key) const
{
    BloomHash::IndexArray idx;
    BloomHash::Indices(key, m_numHashes, m_numBits, idx);
    for (uint32_t j = 0; j < m_numHashes; ++j)
    {
        if (((m_bits[idx[j] / 8] >> (idx[j] % 8)) & 1u) == 0)
        {
            return false;
        }
    }
    return true;
}

uint32_t
BloomFilter::GetNumBits() const
{
    return m_numBits;
}

uint8_t
BloomFilter::GetNumHashes() const
{
    return m_numHashes;
}

uint32_t
BloomFilter::GetPopulation() const
{
    return m_population;
}

uint32_t
BloomFilter::CountSetBits() const
{
    return PopCount(m_bits);
}

double
BloomFilter::GetExpectedFalsePositiveRate() const
{
    return CountingBloomFilter::FalsePositiveRate(m_numBits, m_population, m_numHashes);
}

uint32_t
BloomFilter::GetSerializedSize() const
{
    return 4 + 1 + 4 + static_cast<uint32_t>(m_bits.size());
}

void
BloomFilter::Serialize(Buffer::Iterator& it) const
{
    it.WriteHtonU32(m_numBits);
    it.WriteU8(m_numHashes);
    it.WriteHtonU32(m_population);
    it.Write(m_bits.data(), m_bits.size());
}

bool
BloomFilter::Deserialize(WireReader& reader)
{
    uint32_t numBits = reader.ReadNtohU32();
    uint8_t numHashes = reader.ReadU8();
    uint32_t population = reader.ReadNtohU32();
    if (!reader.Ok())
    {
        return false;
    }
    if (numBits == 0)
    {
        reader.Fail("bloom filter: zero cells");
        return false;
    }
    if (numHashes == 0 || numHashes > kMaxHashes)
    {
        reader.Fail("bloom filter: k = " + std::to_string(numHashes) + " out of range");
        return false;
    }
    uint64_t bytes = BytesFor(numBits);
    // Check the bytes are there before allocating: a garbled m must not cost memory.
    if (!reader.Require(static_cast<uint32_t>(bytes), "bloom filter bits"))
    {
        return false;
    }
    std::vector<uint8_t> bits(bytes);
    reader.Read(bits.data(), bits.size());
    if (numBits % 8 != 0 && (bits.back() >> (numBits % 8)) != 0)
    {
        reader.Fail("bloom filter: padding bits set");
        return false;
    }
    uint32_t set = PopCount(bits);
    if ((population == 0) != (set == 0) || uint64_t(set) > uint64_t(population) * numHashes)
    {
        reader.Fail("bloom filter: " + std::to_string(set) + " bits set is inconsistent with n = "
                    + std::to_string(population) + ", k = " + std::to_string(numHashes));
        return false;
    }
    m_numBits = numBits;
    m_numHashes = numHashes;
    m_population = population;
    m_bits = std::move(bits);
    return true;
}

bool
BloomFilter::operator==(const BloomFilter& other) const
{
    return m_numBits == other.m_numBits && m_numHashes == other.m_numHashes
           && m_population == other.m_population && m_bits == other.m_bits;
}

// ---------------------------------------------------------------------------- CountingBloomFilter

CountingBloomFilter::CountingBloomFilter(uint32_t numCells, uint8_t numHashes)
    : m_numCells(numCells)
    , m_numHashes(numHashes)
    , m_counters(numCells, 0)
    , m_bits(BytesFor(numCells), 0)
{
    NS_LOG_FUNCTION(this << numCells << +numHashes);
    NS_ASSERT_MSG(numCells > 0, "a Bloom filter needs at least one cell");
    NS_ASSERT_MSG(numHashes >= 1 && numHashes <= BloomFilter::kMaxHashes, "k out of range");
}

void
CountingBloomFilter::Insert(uint32_t key)
{
    BloomHash::IndexArray idx;
    BloomHash::Indices(key, m_numHashes, m_numCells, idx);
    for (uint32_t j = 0; j < m_numHashes; ++j)
    {
        uint32_t i = idx[j];
        if (m_counters[i] == 0)
        {
            m_bits[i / 8] |= uint8_t(1u << (i % 8));
        }
        if (m_counters[i] != std::numeric_limits<uint16_t>::max())
        {
            ++m_counters[i];
        }
        else
        {
            NS_LOG_WARN("counter " << i << " saturated; it will never be cleared");
        }
    }
    ++m_population;
}

bool
CountingBloomFilter::Remove(uint32_t key)
{
    BloomHash::IndexArray idx;
    BloomHash::Indices(key, m_numHashes, m_numCells, idx);
    for (uint32_t j = 0; j < m_numHashes; ++j)
    {
        if (m_counters[idx[j]] == 0)
        {
            return false; // not (as far as the filter can tell) a member
        }
    }
    for (uint32_t j = 0; j < m_numHashes; ++j)
    {
        uint32_t i = idx[j];
        if (m_counters[i] != std::numeric_limits<uint16_t>::max() && --m_counters[i] == 0)
        {
            m_bits[i / 8] &= uint8_t(~(1u << (i % 8)));
        }
    }
    NS_ASSERT(m_population > 0);
    --m_population;
    return true;
}

bool
CountingBloomFilter::Contains(uint32_t key) const
{
    BloomHash::IndexArray idx;
    BloomHash::Indices(key, m_numHashes, m_numCells, idx);
    for (uint32_t j = 0; j < m_numHashes; ++j)
    {
        const uint32_t i = idx[j];
        if (!(m_bits[i / 8] & (1u << (i % 8))))
        {
            return false;
        }
    }
    return true;
}

void
CountingBloomFilter::Clear()
{
    std::fill(m_counters.begin(), m_counters.end(), 0);
    std::fill(m_bits.begin(), m_bits.end(), 0);
    m_population = 0;
}

uint32_t
CountingBloomFilter::GetPopulation() const
{
    return m_population;
}

uint32_t
CountingBloomFilter::GetNumCells() const
{
    return m_numCells;
}

uint8_t
CountingBloomFilter::GetNumHashes() const
{
    return m_numHashes;
}

uint16_t
CountingBloomFilter::GetCounter(uint32_t cell) const
{
    return m_counters.at(cell);
}

double
CountingBloomFilter::GetExpectedFalsePositiveRate() const
{
    return FalsePositiveRate(m_numCells, m_population, m_numHashes);
}

BloomFilter
CountingBloomFilter::ToBloomFilter() const
{
    BloomFilter f(m_numCells, m_numHashes);
    f.m_bits = m_bits;
    f.m_population = m_population;
    return f;
}

double
CountingBloomFilter::FalsePositiveRate(uint32_t m, uint32_t n, uint32_t k)
{
    NS_ASSERT(m > 0);
    return std::pow(1.0 - std::exp(-double(k) * double(n) / double(m)), double(k));
}

uint8_t
CountingBloomFilter::OptimalNumHashes(uint32_t m, uint32_t n)
{
    if (n == 0)
    {
        return 1;
    }
    double k = std::round(double(m) / double(n) * std::log(2.0));
    return static_cast<uint8_t>(std::clamp(k, 1.0, double(BloomFilter::kMaxHashes)));
}

uint32_t
CountingBloomFilter::CellsFor(uint32_t n, double p)
{
    NS_ASSERT_MSG(p > 0.0 && p < 1.0, "target false-positive rate must be in (0, 1)");
    double ln2 = std::log(2.0);
    double m = std::ceil(-double(std::max<uint32_t>(n, 1)) * std::log(p) / (ln2 * ln2));
    return static_cast<uint32_t>(std::max(8.0, m));
}

} // namespace ns3
