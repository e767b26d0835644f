/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "sequence-set.h"

#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SequenceSet");

bool
SequenceSet::Insert(uint32_t seq)
{
    if (m_seqs.empty() || seq > m_seqs.back())
    {
        m_seqs.push_back(seq);
        return true;
    }
    auto it = std::lower_bound(m_seqs.begin(), m_seqs.end(), seq);
    if (it != m_seqs.end() && *it == seq)
    {
        return false;
    }
    m_seqs.insert(it, seq);
    return true;
}

bool
SequenceSet::Contains(uint32_t seq) const
{
    if (m_seqs.empty() || seq > m_seqs.back())
    {
        return false;
    }
    return std::binary_search(m_seqs.begin(), m_seqs.end(), seq);
}

void
SequenceSet::Clear()
{
    m_seqs.clear();
}

uint32_t
SequenceSet::GetSize() const
{
    return m_seqs.size();
}

bool
SequenceSet::IsEmpty() const
{
    return m_seqs.empty();
}

const std::vector<uint32_t>&
SequenceSet::GetSequences() const
{
    return m_seqs;
}

void
SequenceSet::Swap(SequenceSet& other)
{
    m_seqs.swap(other.m_seqs);
}

} // namespace ns3
