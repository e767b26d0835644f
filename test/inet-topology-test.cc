/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "ns3/inet-topology-reader.h"
#include "ns3/inet-topology.h"
#include "ns3/node-container.h"

#include <gtest/gtest.h>

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

using namespace ns3;

namespace
{

const InetTopology&
Topology5000()
{
    static const InetTopology topo = InetTopology::Generate({5000, 0, 10000, 7});
    return topo;
}

} // namespace

TEST(InetTopology, DegreeOneFractionFollowsInetLaw)
{
    const auto& topo = Topology5000();
    auto degree = topo.GetDegrees();
    uint32_t ones = std::count(degree.begin(), degree.end(), 1u);
    uint32_t expected = InetTopology::DefaultDegreeOneCount(5000); // 1922
    EXPECT_EQ(expected, 1922u);
    // A few degree >= 2 nodes may end below target when Phase III runs out of partners.
    EXPECT_GE(ones, expected);
    EXPECT_LE(ones, expected + 25);
}

TEST(InetTopology, TopThreeDegreesFollowRankLaw)
{
    auto top = InetTopology::RankLawTopDegrees(5000);
    // INET-3.0 itself (float arithmetic) gives 1025, 561, 394 at N = 5000.
    EXPECT_NEAR(top[0], 1025, 1);
    EXPECT_NEAR(top[1], 561, 1);
    EXPECT_NEAR(top[2], 394, 1);
    auto degree = Topology5000().GetDegrees();
    std::vector<uint32_t> sorted(degree);
    std::sort(sorted.rbegin(), sorted.rend());
    // The highest-degree node is node 0 and is filled completely.
    EXPECT_GE(degree[0] + 1, top[0]); // +1: INET adds one to node 0 when the sum is odd
    EXPECT_LE(degree[0], top[0] + 1);
    EXPECT_EQ(sorted[0], degree[0]);
}

TEST(InetTopology, CcdfExponentMatchesTheLawAtN)
{
    double law = InetTopology::CcdfExponent(5000);
    EXPECT_NEAR(law, -1.166, 0.002);
    double fit = InetTopology::FitCcdfExponent(Topology5000().GetDegrees());
    EXPECT_NEAR(fit, law, 0.25) << "fitted CCDF exponent " << fit;
}

TEST(InetTopology, ConnectedSimpleGraph)
{
    const auto& topo = Topology5000();
    EXPECT_TRUE(topo.IsConnected());
    std::set<std::pair<uint32_t, uint32_t>> seen;
    auto degree = topo.GetDegrees();
    for (const auto& l : topo.GetLinks())
    {
        EXPECT_NE(l.a, l.b) << "self-loop";
        EXPECT_TRUE(seen.insert({std::min(l.a, l.b), std::max(l.a, l.b)}).second)
            << "duplicate link " << l.a << "-" << l.b;
        // Phase II never joins two degree-1 nodes.
        EXPECT_FALSE(degree[l.a] == 1 && degree[l.b] == 1);
    }
    for (const auto& node : topo.GetNodes())
    {
        EXPECT_GE(node.x, 0);
        EXPECT_LE(node.x, 10000);
        EXPECT_GE(node.y, 0);
        EXPECT_LE(node.y, 10000);
    }
}

TEST(InetTopology, DeterministicPerSeed)
{
    auto a = InetTopology::Generate({3037, 0, 10000, 11});
    auto b = InetTopology::Generate({3037, 0, 10000, 11});
    auto c = InetTopology::Generate({3037, 0, 10000, 12});
    std::ostringstream sa;
    std::ostringstream sb;
    std::ostringstream sc;
    a.Write(sa);
    b.Write(sb);
    c.Write(sc);
    EXPECT_EQ(sa.str(), sb.str());
    EXPECT_NE(sa.str(), sc.str());
}

TEST(InetTopology, RejectsTooFewNodes)
{
    EXPECT_THROW(InetTopology::Generate({3036, 0, 10000, 1}), std::invalid_argument);
}

TEST(InetTopology, FileRoundTrip)
{
    auto topo = InetTopology::Generate({3037, 0, 10000, 3});
    std::stringstream text;
    topo.Write(text);
    auto back = InetTopology::Read(text, "round-trip");
    ASSERT_EQ(back.GetNNodes(), topo.GetNNodes());
    ASSERT_EQ(back.GetNLinks(), topo.GetNLinks());
    for (uint32_t i = 0; i < topo.GetNNodes(); ++i)
    {
        EXPECT_EQ(back.GetNodes()[i].x, topo.GetNodes()[i].x);
        EXPECT_EQ(back.GetNodes()[i].y, topo.GetNodes()[i].y);
    }
    for (uint32_t k = 0; k < topo.GetNLinks(); ++k)
    {
        EXPECT_EQ(back.GetLinks()[k].a, topo.GetLinks()[k].a);
        EXPECT_EQ(back.GetLinks()[k].b, topo.GetLinks()[k].b);
        EXPECT_EQ(back.GetLinks()[k].length, topo.GetLinks()[k].length);
    }
}

TEST(InetTopology, Ns3InetReaderReadsOurFiles)
{
    auto topo = InetTopology::Generate({3037, 0, 10000, 5});
    std::string path = ::testing::TempDir() + "bullet-inet-roundtrip.inet";
    topo.WriteFile(path);
    Ptr<InetTopologyReader> reader = CreateObject<InetTopologyReader>();
    reader->SetFileName(path);
    NodeContainer nodes = reader->Read();
    EXPECT_EQ(reader->LinksSize(), topo.GetNLinks());
    EXPECT_EQ(nodes.GetN(), topo.GetNNodes()); // connected: every node appears in a link
    uint32_t k = 0;
    for (auto it = reader->LinksBegin(); it != reader->LinksEnd(); ++it, ++k)
    {
        const auto& l = topo.GetLinks()[k];
        EXPECT_EQ(std::stoul(it->GetFromNodeName()), l.a);
        EXPECT_EQ(std::stoul(it->GetToNodeName()), l.b);
        std::string w;
        ASSERT_TRUE(it->GetAttributeFailSafe("Weight", w));
        EXPECT_EQ(std::stoul(w), l.length);
    }
    std::remove(path.c_str());
}

TEST(InetTopology, ReadsOriginalGeneratorFormatAndComputesMissingLengths)
{
    // Tabs as INET writes them, CRLF line ends, one link without its length.
    std::stringstream text("3 2\r\n0\t0\t0\r\n1\t300\t400\r\n2\t600\t800\r\n0\t1\t500\r\n1\t2\r\n");
    auto topo = InetTopology::Read(text);
    ASSERT_EQ(topo.GetNLinks(), 2u);
    EXPECT_EQ(topo.GetLinks()[0].length, 500u);
    EXPECT_EQ(topo.GetLinks()[1].length, 500u);
}

namespace
{

std::string
ReadError(const std::string& text)
{
    std::stringstream in(text);
    try
    {
        InetTopology::Read(in, "bad.inet");
    }
    catch (const std::runtime_error& e)
    {
        return e.what();
    }
    return "";
}

} // namespace

TEST(InetTopology, MalformedFilesGiveErrorsNamingTheLine)
{
    const std::string nodes = "0 0 0\n1 10 10\n2 20 20\n";
    EXPECT_EQ(ReadError(""), "bad.inet: empty topology file");
    EXPECT_NE(ReadError("3 two\n").find("bad.inet:1: expected the header"), std::string::npos);
    EXPECT_NE(ReadError("3 1\n0 0 0\n1 x 10\n2 20 20\n0 1 5\n").find("bad.inet:3: expected a node"),
              std::string::npos);
    EXPECT_NE(ReadError("3 1\n0 0 0\n7 1 1\n2 20 20\n0 1 5\n").find("bad.inet:3: node id out"),
              std::string::npos);
    EXPECT_NE(ReadError("3 1\n0 0 0\n0 1 1\n2 20 20\n0 1 5\n").find("bad.inet:3: node 0 listed"),
              std::string::npos);
    EXPECT_NE(ReadError("3 2\n" + nodes + "0 1 5\n1 1 5\n").find("bad.inet:6: self-loop"),
              std::string::npos);
    EXPECT_NE(ReadError("3 2\n" + nodes + "0 1 5\n1 0 5\n").find("bad.inet:6: duplicate link"),
              std::string::npos);
    EXPECT_NE(ReadError("3 2\n" + nodes + "0 1 5\n1 9 5\n").find("bad.inet:6: link endpoint"),
              std::string::npos);
    EXPECT_NE(ReadError("3 2\n" + nodes + "0 1 5\n1 2 x\n").find("bad.inet:6: expected a link"),
              std::string::npos);
    EXPECT_NE(ReadError("3 2\n" + nodes + "0 1 5\n").find("ended after 1 of 2 link lines"),
              std::string::npos);
    EXPECT_NE(ReadError("3 1\n" + nodes + "0 1 5\n1 2 5\n").find("bad.inet:6: more lines"),
              std::string::npos);
    EXPECT_NE(ReadError("3 1\n0 0 0\n").find("ended after 1 of 3 node lines"), std::string::npos);
}

// Found by fuzzing (issue #18): the header's counts were allocated before any line was read,
// so a 13-byte file asked for tens of GB and ended in std::bad_alloc, not the runtime_error
// Read() promises.
TEST(InetTopology, HugeHeaderCountsAreClaimsCheckedAgainstTheLines)
{
    EXPECT_NO_THROW({
        EXPECT_NE(
            ReadError("4294967295 0").find("bad.inet: ended after 0 of 4294967295 node lines"),
            std::string::npos);
        EXPECT_NE(ReadError("4294967295 1\n4294967294 0 0\n1 2 3\n")
                      .find("bad.inet: ended after 2 of 4294967295 node lines"),
                  std::string::npos);
        EXPECT_NE(ReadError("2 4294967295\n0 0 0\n1 1 1\n0 1\n")
                      .find("bad.inet: ended after 1 of 4294967295 link lines"),
                  std::string::npos);
    });
    // Node lines in any order still land on their ids.
    std::stringstream text("3 2\n2 20 0\n0 0 0\n1 10 0\n0 1\n1 2\n");
    auto topo = InetTopology::Read(text);
    EXPECT_EQ(topo.GetNodes()[0].x, 0);
    EXPECT_EQ(topo.GetNodes()[1].x, 10);
    EXPECT_EQ(topo.GetNodes()[2].x, 20);
    EXPECT_EQ(topo.GetLinks()[1].length, 10u);
}

// Found by fuzzing (issue #18): lengths outside uint32_t reached static_cast<uint32_t> of the
// double, which is undefined behaviour.
TEST(InetTopology, LinkLengthsThatDoNotFitAreRejected)
{
    const std::string nodes = "0 0 0\n1 10 10\n2 20 20\n";
    for (const char* w : {"inf", "-inf", "nan", "1e10", "-5", "4294967296"})
    {
        std::string error = ReadError("3 2\n" + nodes + "0 1 5\n1 2 " + w + "\n");
        EXPECT_NE(error.find(std::string("bad.inet:6: link length ") + w
                             + " is not a number in [0, 4294967295]"),
                  std::string::npos)
            << w << ": " << error;
    }
    // Beyond the range of a double, it is not a number at all.
    EXPECT_NE(ReadError("3 2\n" + nodes + "0 1 5\n1 2 1e400\n").find("bad.inet:6: expected a link"),
              std::string::npos);
    // The largest length that fits is accepted, truncated as INET's w.
    std::stringstream ok("3 2\n" + nodes + "0 1 4294967295.9\n1 2 0\n");
    auto topo = InetTopology::Read(ok);
    EXPECT_EQ(topo.GetLinks()[0].length, 4294967295u);
    EXPECT_EQ(topo.GetLinks()[1].length, 0u);
    // Endpoints so far apart that the derived length overflows (here to infinity).
    std::string error = ReadError("2 1\n0 -1.5e308 0\n1 1.5e308 0\n0 1\n");
    EXPECT_NE(error.find("bad.inet:4: the endpoints are too far apart"), std::string::npos)
        << error;
    error = ReadError("2 1\n0 0 0\n1 5e9 0\n0 1\n");
    EXPECT_NE(error.find("bad.inet:4: the endpoints are too far apart"), std::string::npos)
        << error;
    // Given explicitly, a length for far-apart endpoints is the file's business.
    std::stringstream far("2 1\n0 0 0\n1 5e9 0\n0 1 7\n");
    EXPECT_EQ(InetTopology::Read(far).GetLinks()[0].length, 7u);
    // Generate() cannot make such lengths either.
    EXPECT_THROW(InetTopology::Generate({3037, 0, InetTopology::kMaxPlaneSize + 1, 1}),
                 std::invalid_argument);
}

// Found by fuzzing (issue #18): Write() printed coordinates at 6 significant digits, so
// Read(Write(t)) moved every node whose coordinate needed more.
TEST(InetTopology, WriteThenReadGivesBackExactlyTheSameTopology)
{
    auto generated = InetTopology::Generate({3037, 0, 10000, 11});
    // The same graph with coordinates anywhere on the double line: fractions, large and tiny
    // magnitudes, negative values and negative zero. The text is written at 17 significant
    // digits, which reads back exactly.
    std::mt19937_64 rng(18);
    std::uniform_real_distribution<double> unit(-1, 1);
    std::uniform_int_distribution<int> exponent(-300, 300);
    std::vector<double> coord;
    for (uint32_t i = 0; i < 2 * generated.GetNNodes(); ++i)
    {
        double v = i % 7 == 0 ? unit(rng) * 10000 : std::ldexp(unit(rng), exponent(rng));
        coord.push_back(i == 1 ? -0.0 : v);
    }
    std::ostringstream original;
    original << generated.GetNNodes() << " " << generated.GetNLinks() << "\n";
    char number[64];
    for (uint32_t i = 0; i < generated.GetNNodes(); ++i)
    {
        std::snprintf(number, sizeof(number), "%.17g\t%.17g", coord[2 * i], coord[2 * i + 1]);
        original << i << "\t" << number << "\n";
    }
    for (const auto& l : generated.GetLinks())
    {
        original << l.a << "\t" << l.b << "\t" << l.length << "\n";
    }
    std::stringstream in(original.str());
    auto topo = InetTopology::Read(in, "random-coordinates");
    for (uint32_t i = 0; i < topo.GetNNodes(); ++i)
    {
        ASSERT_EQ(topo.GetNodes()[i].x, coord[2 * i]);
        ASSERT_EQ(topo.GetNodes()[i].y, coord[2 * i + 1]);
    }

    for (const InetTopology* t : {&generated, &topo})
    {
        std::stringstream text;
        t->Write(text);
        auto back = InetTopology::Read(text, "round-trip");
        ASSERT_EQ(back.GetNNodes(), t->GetNNodes());
        ASSERT_EQ(back.GetNLinks(), t->GetNLinks());
        for (uint32_t i = 0; i < t->GetNNodes(); ++i)
        {
            // Bit for bit: the sign of zero included.
            EXPECT_EQ(std::signbit(back.GetNodes()[i].x), std::signbit(t->GetNodes()[i].x));
            ASSERT_EQ(back.GetNodes()[i].x, t->GetNodes()[i].x) << "node " << i;
            ASSERT_EQ(back.GetNodes()[i].y, t->GetNodes()[i].y) << "node " << i;
        }
        for (uint32_t k = 0; k < t->GetNLinks(); ++k)
        {
            ASSERT_EQ(back.GetLinks()[k].a, t->GetLinks()[k].a);
            ASSERT_EQ(back.GetLinks()[k].b, t->GetLinks()[k].b);
            ASSERT_EQ(back.GetLinks()[k].length, t->GetLinks()[k].length);
        }
        // And writing it again gives the same text.
        std::stringstream again;
        back.Write(again);
        EXPECT_EQ(again.str(), text.str());
    }
    // Integer coordinates are written as INET writes them.
    std::stringstream text;
    generated.Write(text);
    std::string first;
    std::getline(text, first);
    std::getline(text, first);
    EXPECT_EQ(first.find('.'), std::string::npos) << first;
    EXPECT_EQ(first.find('e'), std::string::npos) << first;
}
