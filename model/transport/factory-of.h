/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_FACTORY_OF_H
#define BULLET_FACTORY_OF_H

#include "ns3/object-factory.h"
#include "ns3/type-id.h"

namespace ns3
{

/**
 * \ingroup bullet
 * A factory of \p tid, for an ObjectFactoryValue attribute default. By TypeId, not by name:
 * attribute defaults are built during static initialisation, possibly before a type named by
 * a string has registered itself.
 */
inline ObjectFactory
FactoryOf(TypeId tid)
{
    ObjectFactory f;
    f.SetTypeId(tid);
    return f;
}

} // namespace ns3

#endif // BULLET_FACTORY_OF_H
