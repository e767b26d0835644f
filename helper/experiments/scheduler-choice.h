/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_SCHEDULER_CHOICE_H
#define BULLET_SCHEDULER_CHOICE_H

#include <string>

namespace ns3
{

class CommandLine;

/**
 * \ingroup bullet
 * \brief The event scheduler the scenario programs run with unless told otherwise.
 *
 * ns-3's std::priority_queue-based scheduler: on our event mix it spends 2.3% of a 50-client
 * run's cycles and about 2% of a 1,000-client run's, where the MapScheduler (ns-3's default)
 * spends 5.3% and 7-8% and the HeapScheduler 4.9% and 3.9%; the CalendarScheduler was
 * slowest. Every scheduler orders events the same way (time, then insertion), so results do
 * not depend on the choice. See doc/performance.md.
 */
extern const char* const kDefaultScheduler;

/**
 * \ingroup bullet
 * \brief Checks that \p typeName names an ns-3 event scheduler (a subclass of ns3::Scheduler
 * with a constructor), e.g. "ns3::HeapScheduler".
 * \param typeName the TypeId name
 * \throws std::invalid_argument naming the schedulers ns-3 has if it does not
 */
void ValidateScheduler(const std::string& typeName);

/**
 * \ingroup bullet
 * \brief Makes the simulator use scheduler \p typeName (Simulator::SetScheduler); events
 * already scheduled move to it.
 * \param typeName a scheduler's TypeId name
 * \throws std::invalid_argument as ValidateScheduler
 */
void UseScheduler(const std::string& typeName);

/**
 * \ingroup bullet
 * \brief Adds the scenario programs' --scheduler option, bound to \p scheduler.
 * \param cmd the program's command line
 * \param scheduler where the chosen TypeId name goes
 */
void AddSchedulerOption(CommandLine& cmd, std::string& scheduler);

} // namespace ns3

#endif // BULLET_SCHEDULER_CHOICE_H
