/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "recovered-relay-policy.h"

#include "ns3/type-id.h"

#include <map>
#include <string>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(RecoveredRelayPolicy);
NS_OBJECT_ENSURE_REGISTERED(RelayAllRecovered);
NS_OBJECT_ENSURE_REGISTERED(RelayParentRow);
NS_OBJECT_ENSURE_REGISTERED(RelayNoRecovered);

TypeId
RecoveredRelayPolicy::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::RecoveredRelayPolicy").SetParent<Object>().SetGroupName("Bullet");
    return tid;
}

// ---------------------------------------------------------------- All

TypeId
RelayAllRecovered::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RelayAllRecovered")
                            .SetParent<RecoveredRelayPolicy>()
                            .SetGroupName("Bullet")
                            .AddConstructor<RelayAllRecovered>();
    return tid;
}

bool
RelayAllRecovered::ParentServesRows(bool hasParent) const
{
    return false;
}

bool
RelayAllRecovered::LeftToPeers(uint32_t seq, uint32_t childHigh, const RowShare& share) const
{
    return false;
}

// ---------------------------------------------------------------- ParentRow

TypeId
RelayParentRow::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RelayParentRow")
                            .SetParent<RecoveredRelayPolicy>()
                            .SetGroupName("Bullet")
                            .AddConstructor<RelayParentRow>();
    return tid;
}

bool
RelayParentRow::ParentServesRows(bool hasParent) const
{
    return hasParent;
}

bool
RelayParentRow::LeftToPeers(uint32_t seq, uint32_t childHigh, const RowShare& share) const
{
    // A child that reported no rows (another policy, or no digest yet) gets every one.
    return seq <= childHigh && share.rows > 0 && !share.Contains(seq);
}

// ---------------------------------------------------------------- None

TypeId
RelayNoRecovered::GetTypeId()
{
    static TypeId tid = TypeId("ns3::RelayNoRecovered")
                            .SetParent<RecoveredRelayPolicy>()
                            .SetGroupName("Bullet")
                            .AddConstructor<RelayNoRecovered>();
    return tid;
}

bool
RelayNoRecovered::ParentServesRows(bool hasParent) const
{
    return false;
}

bool
RelayNoRecovered::LeftToPeers(uint32_t seq, uint32_t childHigh, const RowShare& share) const
{
    return seq <= childHigh;
}

// ---------------------------------------------------------------- the attribute's checker

namespace
{

/// A TypeIdValue that also reads the relay policies' short names (All, ParentRow, None).
class RecoveredRelayValue : public TypeIdValue
{
  public:
    RecoveredRelayValue() = default;

    explicit RecoveredRelayValue(const TypeId& tid)
        : TypeIdValue(tid)
    {
    }

    Ptr<AttributeValue>
    Copy() const override
    {
        return Create<RecoveredRelayValue>(Get());
    }

    bool
    DeserializeFromString(std::string value, Ptr<const AttributeChecker> checker) override
    {
        static const std::map<std::string, TypeId> shortNames{
            {"All", RelayAllRecovered::GetTypeId()},
            {"ParentRow", RelayParentRow::GetTypeId()},
            {"None", RelayNoRecovered::GetTypeId()},
        };
        auto it = shortNames.find(value);
        if (it != shortNames.end())
        {
            Set(it->second);
            return true;
        }
        return TypeIdValue::DeserializeFromString(value, checker);
    }
};

/// Accepts TypeIdValues naming a RecoveredRelayPolicy subclass; strings become
/// RecoveredRelayValues.
class RecoveredRelayChecker : public TypeIdChecker
{
  public:
    bool
    Check(const AttributeValue& value) const override
    {
        const auto* v = dynamic_cast<const TypeIdValue*>(&value);
        return v && v->Get().IsChildOf(RecoveredRelayPolicy::GetTypeId());
    }

    std::string
    GetValueTypeName() const override
    {
        return "ns3::TypeIdValue";
    }

    bool
    HasUnderlyingTypeInformation() const override
    {
        return true;
    }

    std::string
    GetUnderlyingTypeInformation() const override
    {
        return "ns3::RecoveredRelayPolicy subclass: ns3::RelayAllRecovered (All), "
               "ns3::RelayParentRow (ParentRow), ns3::RelayNoRecovered (None)";
    }

    Ptr<AttributeValue>
    Create() const override
    {
        return ns3::Create<RecoveredRelayValue>();
    }

    bool
    Copy(const AttributeValue& source, AttributeValue& destination) const override
    {
        const auto* src = dynamic_cast<const TypeIdValue*>(&source);
        auto* dst = dynamic_cast<TypeIdValue*>(&destination);
        if (!src || !dst)
        {
            return false;
        }
        dst->Set(src->Get());
        return true;
    }
};

} // namespace

Ptr<const AttributeChecker>
MakeRecoveredRelayChecker()
{
    return Create<RecoveredRelayChecker>();
}

} // namespace ns3
