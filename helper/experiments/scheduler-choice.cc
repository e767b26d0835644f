/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "scheduler-choice.h"

#include "ns3/command-line.h"
#include "ns3/log.h"
#include "ns3/object-factory.h"
#include "ns3/scheduler.h"
#include "ns3/simulator.h"
#include "ns3/type-id.h"

#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SchedulerChoice");

const char* const kDefaultScheduler = "ns3::PriorityQueueScheduler";

void
ValidateScheduler(const std::string& typeName)
{
    TypeId tid;
    if (!TypeId::LookupByNameFailSafe(typeName, &tid) || !tid.IsChildOf(Scheduler::GetTypeId())
        || !tid.HasConstructor())
    {
        throw std::invalid_argument("'" + typeName
                                    + "' is not an event scheduler (ns3::MapScheduler, "
                                      "ns3::HeapScheduler, ns3::ListScheduler, "
                                      "ns3::CalendarScheduler, ns3::PriorityQueueScheduler)");
    }
}

void
UseScheduler(const std::string& typeName)
{
    ValidateScheduler(typeName);
    ObjectFactory factory;
    factory.SetTypeId(typeName);
    Simulator::SetScheduler(factory);
    NS_LOG_INFO("event scheduler " << typeName);
}

void
AddSchedulerOption(CommandLine& cmd, std::string& scheduler)
{
    cmd.AddValue("scheduler",
                 "event scheduler, e.g. ns3::MapScheduler (overrides the global SchedulerType; "
                 "results do not depend on it)",
                 scheduler);
}

} // namespace ns3
