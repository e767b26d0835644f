/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_ATTRIBUTE_TABLE_H
#define BULLET_ATTRIBUTE_TABLE_H

#include "ns3/nstime.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/type-id.h"
#include "ns3/uinteger.h"

#include <cstdint>
#include <initializer_list>
#include <string>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief One attribute of class \p T, of value type \p V (Time, uint32_t), in a table for
 * AddTimeAttributes or AddCountAttributes.
 */
template<typename T, typename V>
struct AttributeEntry
{
    const char* name; ///< the attribute's name
    const char* help; ///< its help text
    V initial;        ///< its default
    V T::*member;     ///< the member it sets
};

/**
 * \ingroup bullet
 * \brief One trace source of class \p T, of member type \p Trace, for AddTraceSources.
 */
template<typename T, typename Trace>
struct TraceSourceEntry
{
    const char* name; ///< the trace source's name
    const char* help; ///< its help text
    Trace T::*member; ///< the TracedCallback member
};

/**
 * \brief Adds Time attributes (periods and timeouts) that accept values from \p min up.
 * \param tid the TypeId to add them to
 * \param min the smallest value each accepts
 * \param entries the attributes
 * \returns \p tid
 */
template<typename T>
TypeId&
AddTimeAttributes(TypeId& tid, Time min, std::initializer_list<AttributeEntry<T, Time>> entries)
{
    for (const auto& e : entries)
    {
        tid.AddAttribute(e.name, e.help, TimeValue(e.initial), MakeTimeAccessor(e.member),
                         MakeTimeChecker(min));
    }
    return tid;
}

/**
 * \brief Adds uint32_t attributes (counts and limits) that accept values from \p min to \p max.
 * \param tid the TypeId to add them to
 * \param min the smallest value each accepts
 * \param max the largest value each accepts
 * \param entries the attributes
 * \returns \p tid
 */
template<typename T>
TypeId&
AddCountAttributes(TypeId& tid, uint32_t min, uint32_t max,
                   std::initializer_list<AttributeEntry<T, uint32_t>> entries)
{
    for (const auto& e : entries)
    {
        tid.AddAttribute(e.name, e.help, UintegerValue(e.initial), MakeUintegerAccessor(e.member),
                         MakeUintegerChecker<uint32_t>(min, max));
    }
    return tid;
}

/**
 * \brief Adds trace sources that share one callback signature.
 * \param tid the TypeId to add them to
 * \param callback the signature's name (e.g. "ns3::Scribe::GroupNodeTracedCallback")
 * \param entries the trace sources
 * \returns \p tid
 */
template<typename T, typename Trace>
TypeId&
AddTraceSources(TypeId& tid, const std::string& callback,
                std::initializer_list<TraceSourceEntry<T, Trace>> entries)
{
    for (const auto& e : entries)
    {
        tid.AddTraceSource(e.name, e.help, MakeTraceSourceAccessor(e.member), callback);
    }
    return tid;
}

} // namespace ns3

#endif // BULLET_ATTRIBUTE_TABLE_H
