/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "summary-ticket.h"

#include "ns3/assert.h"
#include "ns3/counting-bloom-filter.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SummaryTicket");

// ---------------------------------------------------------------------------- MinWisePermutations

MinWisePermutations::MinWisePermutations(uint32_t numPermutations, uint64_t seed,
                                         KeyMapping mapping)
    : m_seed(seed)
    , m_mapping(mapping)
{
    NS_LOG_FUNCTION(this << numPermutations << seed);
    NS_ASSERT_MSG(numPermutations >= 1 && numPermutations <= 255,
                  "a ticket has 1..255 entries (its count travels in one byte)");
    // A SplitMix64 sequence: state advances by the golden-ratio increment, outputs are mixed.
    uint64_t state = seed;
    auto next = [&state]() {
        state += 0x9e3779b97f4a7c15ULL;
        return BloomHash::Mix64(state);
    };
    for (uint32_t j = 0; j < numPermutations; ++j)
    {
        m_a.push_back(1 + next() % (kUniverse - 1));
        m_b.push_back(next() % kUniverse);
    }
}

uint32_t
MinWisePermutations::GetSize() const
{
    return m_a.size();
}

uint64_t
MinWisePermutations::GetSeed() const
{
    return m_seed;
}

MinWisePermutations::KeyMapping
MinWisePermutations::GetKeyMapping() const
{
    return m_mapping;
}

uint32_t
MinWisePermutations::Scramble(uint32_t x)
{
    // Each step is invertible (xor with a right shift of itself; multiplication by an odd
    // constant modulo 2^32), so the whole is a bijection.
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

uint32_t
MinWisePermutations::Map(uint32_t x) const
{
    return m_mapping == SCRAMBLED ? Scramble(x) : x;
}

uint64_t
MinWisePermutations::Apply(uint32_t j, uint32_t x) const
{
    return Permute(j, Map(x));
}

// ---------------------------------------------------------------------------- SummaryTicket

SummaryTicket::SummaryTicket(std::shared_ptr<const MinWisePermutations> perms)
    : m_perms(std::move(perms))
{
    NS_ASSERT_MSG(m_perms, "a summary ticket needs its permutations");
}

void
SummaryTicket::Insert(uint32_t key)
{
    uint32_t n = m_perms->GetSize();
    const uint32_t mapped = m_perms->Map(key); // once, not once per permutation
    if (m_entries.empty())
    {
        m_entries.assign(n, key);
        m_images.resize(n);
        for (uint32_t j = 0; j < n; ++j)
        {
            m_images[j] = m_perms->Permute(j, mapped);
        }
        return;
    }
    ComputeImages();
    for (uint32_t j = 0; j < n; ++j)
    {
        const uint64_t image = m_perms->Permute(j, mapped);
        if (image < m_images[j])
        {
            m_entries[j] = key;
            m_images[j] = image;
        }
    }
}

void
SummaryTicket::ComputeImages()
{
    const uint32_t n = m_entries.size();
    if (m_images.size() != n) // entries read from the wire: their images, once
    {
        m_images.resize(n);
        for (uint32_t j = 0; j < n; ++j)
        {
            m_images[j] = m_perms->Apply(j, m_entries[j]);
        }
    }
}

void
SummaryTicket::Remove(uint32_t key)
{
    for (uint32_t j = 0; j < m_entries.size(); ++j)
    {
        if (m_entries[j] == key)
        {
            if (m_dirty.empty())
            {
                m_dirty.assign(m_entries.size(), 0);
            }
            if (!m_dirty[j])
            {
                m_dirty[j] = 1;
                ++m_numDirty;
            }
        }
    }
    if (m_numDirty > 0)
    {
        ComputeImages(); // Repair writes the images of the entries it recomputes
    }
}

bool
SummaryTicket::NeedsRepair() const
{
    return m_numDirty > 0;
}

void
SummaryTicket::Clear()
{
    m_entries.clear();
    m_images.clear();
    m_dirty.clear();
    m_numDirty = 0;
}

bool
SummaryTicket::IsEmpty() const
{
    return m_entries.empty();
}

uint32_t
SummaryTicket::GetNumEntries() const
{
    return m_perms->GetSize();
}

uint32_t
SummaryTicket::GetEntry(uint32_t j) const
{
    NS_ASSERT_MSG(!m_entries.empty(), "empty ticket has no entries");
    NS_ASSERT_MSG(!NeedsRepair(), "a ticket with removed entries must be repaired first");
    return m_entries.at(j);
}

const std::shared_ptr<const MinWisePermutations>&
SummaryTicket::GetPermutations() const
{
    return m_perms;
}

double
SummaryTicket::Resemblance(const SummaryTicket& other) const
{
    NS_ASSERT_MSG(GetNumEntries() == other.GetNumEntries(),
                  "tickets of different sizes cannot be compared");
    NS_ASSERT_MSG(!NeedsRepair() && !other.NeedsRepair(),
                  "a ticket with removed entries must be repaired first");
    if (m_entries.empty() || other.m_entries.empty())
    {
        return m_entries.empty() && other.m_entries.empty() ? 1.0 : 0.0;
    }
    uint32_t equal = 0;
    for (size_t j = 0; j < m_entries.size(); ++j)
    {
        equal += m_entries[j] == other.m_entries[j];
    }
    return double(equal) / double(m_entries.size());
}

uint32_t
SummaryTicket::GetSerializedSize() const
{
    return 1 + 4 * m_entries.size();
}

void
SummaryTicket::Serialize(Buffer::Iterator& it) const
{
    NS_ASSERT_MSG(!NeedsRepair(), "a ticket with removed entries must be repaired first");
    it.WriteU8(static_cast<uint8_t>(m_entries.size()));
    for (uint32_t e : m_entries)
    {
        it.WriteHtonU32(e);
    }
}

bool
SummaryTicket::Deserialize(WireReader& reader)
{
    uint8_t count = reader.ReadU8();
    if (!reader.Ok())
    {
        return false;
    }
    if (count != 0 && count != m_perms->GetSize())
    {
        reader.Fail("summary ticket: " + std::to_string(count) + " entries, expected 0 or "
                    + std::to_string(m_perms->GetSize()));
        return false;
    }
    if (!reader.Require(4u * count, "summary ticket entries"))
    {
        return false;
    }
    std::vector<uint32_t> entries(count);
    for (auto& e : entries)
    {
        e = reader.ReadNtohU32();
    }
    m_entries = std::move(entries);
    m_images.clear();
    m_dirty.clear();
    m_numDirty = 0;
    return true;
}

bool
SummaryTicket::operator==(const SummaryTicket& other) const
{
    return m_entries == other.m_entries && GetNumEntries() == other.GetNumEntries();
}

} // namespace ns3
