/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: the INET topology reader (InetTopology::Read). What it accepts must survive
// Write() and Read() again exactly; its only documented rejection is std::runtime_error.

#include "ns3/inet-topology.h"

#include "fuzz-util.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

using namespace ns3;

namespace
{

bool
Same(const InetTopology& a, const InetTopology& b)
{
    if (a.GetNNodes() != b.GetNNodes() || a.GetNLinks() != b.GetNLinks())
    {
        return false;
    }
    for (uint32_t i = 0; i < a.GetNNodes(); ++i)
    {
        const auto& p = a.GetNodes()[i];
        const auto& q = b.GetNodes()[i];
        if (p.x != q.x || p.y != q.y || std::signbit(p.x) != std::signbit(q.x)
            || std::signbit(p.y) != std::signbit(q.y))
        {
            return false;
        }
    }
    for (uint32_t k = 0; k < a.GetNLinks(); ++k)
    {
        const auto& l = a.GetLinks()[k];
        const auto& m = b.GetLinks()[k];
        if (l.a != m.a || l.b != m.b || l.length != m.length)
        {
            return false;
        }
    }
    return true;
}

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    InetTopology topo;
    try
    {
        topo = InetTopology::Read(in, "fuzz");
    }
    catch (const std::runtime_error&)
    {
        return 0;
    }
    FUZZ_CHECK(topo.GetNNodes() >= 1);
    for (const auto& l : topo.GetLinks())
    {
        FUZZ_CHECK(l.a < topo.GetNNodes() && l.b < topo.GetNNodes() && l.a != l.b);
    }
    (void) topo.IsConnected();
    std::stringstream text;
    topo.Write(text);
    std::istringstream again(text.str());
    InetTopology back = InetTopology::Read(again, "round-trip"); // must not throw
    FUZZ_CHECK(Same(topo, back));
    std::ostringstream text2;
    back.Write(text2);
    FUZZ_CHECK(text2.str() == text.str());
    return 0;
}
