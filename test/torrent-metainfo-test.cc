/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Torrent metainfo (BEP 3): made from content, parsed (single- and multi-file, unknown keys
// kept), validated field by field, and interoperable both ways with Debian's mktorrent and
// transmission-show.

#include "ns3/bencode.h"
#include "ns3/file-content.h"
#include "ns3/sha1.h"
#include "ns3/torrent-metainfo.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace ns3;

namespace
{

/// A path in the test temporary directory unique to this test process.
std::string
TempPath(const std::string& name)
{
    return ::testing::TempDir() + "bullet-torrent-" + std::to_string(::getpid()) + "-" + name;
}

/// A bencoded string: "<length>:<bytes>".
std::string
Str(const std::string& s)
{
    return std::to_string(s.size()) + ":" + s;
}

std::string
Hex(const Sha1Digest& d)
{
    static const char kHex[] = "0123456789abcdef";
    std::string s;
    for (uint8_t b : d)
    {
        s += kHex[b >> 4];
        s += kHex[b & 0x0f];
    }
    return s;
}

Sha1Digest
Sha1Of(const std::string& s)
{
    return Sha1::Of(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string
Raw(const Sha1Digest& d)
{
    return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

void
WriteFile(const std::string& path, const uint8_t* data, size_t len)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(len));
    ASSERT_TRUE(out.good()) << path;
}

std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Runs \p command with a shell; returns its exit status and its stdout and stderr.
int
RunCommand(const std::string& command, std::string& output)
{
    output.clear();
    std::FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (p == nullptr)
    {
        return -1;
    }
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0)
    {
        output.append(buf, n);
    }
    int status = ::pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Fails the test unless Debian's program \p program is installed.
void
RequireTool(const std::string& program, const std::string& package)
{
    std::string out;
    ASSERT_EQ(RunCommand("command -v " + program, out), 0)
        << program << " is not installed: this test checks interoperability with Debian's "
        << package << " (./ns3 installs it; or apt-get install -y " << package << ")";
}

/// The value of "<key>: <value>" in transmission-show's output ("" if absent).
std::string
ShowField(const std::string& output, const std::string& key)
{
    size_t pos = 0;
    while (pos < output.size())
    {
        size_t eol = output.find('\n', pos);
        std::string line = output.substr(pos, eol == std::string::npos ? eol : eol - pos);
        pos = eol == std::string::npos ? output.size() : eol + 1;
        size_t start = line.find_first_not_of(' ');
        if (start != std::string::npos && line.compare(start, key.size() + 2, key + ": ") == 0)
        {
            return line.substr(start + key.size() + 2);
        }
    }
    return "";
}

/// Whether transmission-show's rounded size \p shown ("1.05 MB", "256.0 KiB") is \p bytes.
::testing::AssertionResult
ShownSizeIs(const std::string& shown, uint64_t bytes)
{
    static const std::map<std::string, double> kUnits
        = {{"B", 1},        {"kB", 1e3},        {"MB", 1e6},          {"GB", 1e9},
           {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}};
    size_t space = shown.find(' ');
    if (space == std::string::npos || kUnits.count(shown.substr(space + 1)) == 0)
    {
        return ::testing::AssertionFailure() << "unreadable size '" << shown << "'";
    }
    std::string number = shown.substr(0, space);
    size_t dot = number.find('.');
    int decimals = dot == std::string::npos ? 0 : static_cast<int>(number.size() - dot - 1);
    double value = std::stod(number);
    double unit = kUnits.at(shown.substr(space + 1));
    double tolerance = 0.5 * std::pow(10.0, -decimals) + 1e-9;
    if (std::fabs(static_cast<double>(bytes) / unit - value) <= tolerance)
    {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "'" << shown << "' is not " << bytes << " bytes";
}

/// The runtime_error message of Parse(\p bytes) (fails the test if it parses).
std::string
ParseError(const std::string& bytes)
{
    try
    {
        TorrentMetainfo::Parse(bytes);
    }
    catch (const std::runtime_error& e)
    {
        return e.what();
    }
    ADD_FAILURE() << "parsed: " << bytes;
    return "";
}

} // namespace

// Make() cuts content into pieces, hashes each with SHA-1 and builds exactly the info
// dictionary BEP 3 describes; the info hash is the SHA-1 of its bytes.
TEST(TorrentMetainfo, MakeHashesPiecesAndInfo)
{
    const uint64_t size = (1u << 20) + 12345;
    FileContent content = FileContent::Generate(size, 7);
    TorrentMetainfo t
        = TorrentMetainfo::Make(content, "data.bin", "http://10.0.0.1:6969/announce", 1u << 18);
    EXPECT_FALSE(t.IsVirtual());
    EXPECT_FALSE(t.IsPrivate());
    EXPECT_FALSE(t.IsMultiFile());
    EXPECT_EQ(t.GetName(), "data.bin");
    EXPECT_EQ(t.GetAnnounce(), "http://10.0.0.1:6969/announce");
    EXPECT_EQ(t.GetLength(), size);
    EXPECT_EQ(t.GetPieceLength(), 1u << 18);
    ASSERT_EQ(t.GetNumPieces(), 5u);
    EXPECT_EQ(t.GetPieceBytes(0), 1u << 18);
    EXPECT_EQ(t.GetPieceBytes(3), 1u << 18);
    EXPECT_EQ(t.GetPieceBytes(4), 12345u);
    EXPECT_EQ(t.GetPieceBytes(5), 0u);
    EXPECT_THROW(t.GetPieceHash(5), std::out_of_range);
    ASSERT_EQ(t.GetFiles().size(), 1u);
    EXPECT_EQ(t.GetFiles()[0].first, "data.bin");
    EXPECT_EQ(t.GetFiles()[0].second, size);

    std::string pieces;
    for (uint32_t p = 0; p < 5; ++p)
    {
        const uint8_t* piece = content.GetData() + uint64_t{p} * (1u << 18);
        Sha1Digest h = Sha1::Of(piece, t.GetPieceBytes(p));
        EXPECT_EQ(t.GetPieceHash(p), h);
        pieces += Raw(h);
        EXPECT_TRUE(t.VerifyPiece(p, piece, t.GetPieceBytes(p)));
        EXPECT_FALSE(t.VerifyPiece(p, piece, t.GetPieceBytes(p) - 1));
        std::vector<uint8_t> corrupt(piece, piece + t.GetPieceBytes(p));
        corrupt[corrupt.size() / 2] ^= 0x01;
        EXPECT_FALSE(t.VerifyPiece(p, corrupt.data(), corrupt.size())) << "piece " << p;
    }
    EXPECT_FALSE(t.VerifyPiece(0, nullptr, 1u << 18));
    EXPECT_FALSE(t.VerifyPiece(5, content.GetData(), 0));

    std::string info = "d6:lengthi" + std::to_string(size) + "e4:name8:data.bin"
                       + "12:piece lengthi262144e6:pieces" + Str(pieces) + "e";
    EXPECT_EQ(t.GetInfoHash(), Sha1Of(info));
    EXPECT_EQ(t.GetInfoHashHex(), Hex(Sha1Of(info)));
    EXPECT_EQ(t.Encode(), "d8:announce" + Str("http://10.0.0.1:6969/announce")
                              + "10:created by10:ns3-bullet4:info" + info + "e");
}

// What Make() writes, Parse() reads back to the same torrent, and re-encodes byte for byte.
TEST(TorrentMetainfo, EncodeParseRoundTrip)
{
    FileContent content = FileContent::Generate(100000, 3);
    TorrentMetainfo made = TorrentMetainfo::Make(content, "x", "http://t/a", 16384);
    TorrentMetainfo parsed = TorrentMetainfo::Parse(made.Encode());
    EXPECT_EQ(parsed.GetInfoHash(), made.GetInfoHash());
    EXPECT_EQ(parsed.GetName(), "x");
    EXPECT_EQ(parsed.GetAnnounce(), "http://t/a");
    EXPECT_EQ(parsed.GetLength(), 100000u);
    EXPECT_EQ(parsed.GetPieceLength(), 16384u);
    ASSERT_EQ(parsed.GetNumPieces(), 7u);
    for (uint32_t p = 0; p < 7; ++p)
    {
        EXPECT_EQ(parsed.GetPieceHash(p), made.GetPieceHash(p));
        EXPECT_EQ(parsed.GetPieceBytes(p), made.GetPieceBytes(p));
    }
    EXPECT_EQ(parsed.Encode(), made.Encode());

    std::string path = TempPath("roundtrip.torrent");
    made.Save(path);
    EXPECT_EQ(ReadFile(path), made.Encode());
    EXPECT_EQ(TorrentMetainfo::Load(path).GetInfoHash(), made.GetInfoHash());
    std::remove(path.c_str());

    // A torrent made without a tracker has no announce key.
    TorrentMetainfo trackerless = TorrentMetainfo::Make(content, "x", "", 16384);
    EXPECT_EQ(BencodeDecode(trackerless.Encode()).Find("announce"), nullptr);
    EXPECT_EQ(TorrentMetainfo::Parse(trackerless.Encode()).GetAnnounce(), "");
    EXPECT_EQ(trackerless.GetInfoHash(), made.GetInfoHash());
}

// Make() refuses piece lengths peers cannot request in 16 KiB blocks, and an empty name.
TEST(TorrentMetainfo, MakeRejectsBadArguments)
{
    FileContent content = FileContent::Generate(1000, 1);
    for (uint32_t bad : {0u, 1000u, 16383u, 16385u, 3u << 13})
    {
        EXPECT_THROW(TorrentMetainfo::Make(content, "x", "http://t/a", bad), std::invalid_argument)
            << bad;
    }
    EXPECT_THROW(TorrentMetainfo::Make(content, "", "http://t/a"), std::invalid_argument);
    TorrentMetainfo one = TorrentMetainfo::Make(content, "x", "http://t/a", 16384);
    EXPECT_EQ(one.GetNumPieces(), 1u);
    EXPECT_EQ(one.GetPieceBytes(0), 1000u);
}

// Virtual content: sizes only, zero hashes, VerifyPiece checks lengths.
TEST(TorrentMetainfo, VirtualContent)
{
    const uint64_t size = (10u << 20) + 1;
    TorrentMetainfo t
        = TorrentMetainfo::Make(FileContent::Virtual(size), "v", "http://t/a", 1u << 18);
    EXPECT_TRUE(t.IsVirtual());
    EXPECT_EQ(t.GetLength(), size);
    ASSERT_EQ(t.GetNumPieces(), 41u);
    EXPECT_EQ(t.GetPieceBytes(40), 1u);
    for (uint32_t p = 0; p < 41; ++p)
    {
        EXPECT_EQ(t.GetPieceHash(p), Sha1Digest{});
    }
    EXPECT_TRUE(t.VerifyPiece(0, nullptr, 1u << 18));
    EXPECT_TRUE(t.VerifyPiece(40, nullptr, 1));
    EXPECT_FALSE(t.VerifyPiece(40, nullptr, 2));
    EXPECT_FALSE(t.VerifyPiece(41, nullptr, 0));
    // Another size gives another info hash.
    TorrentMetainfo u
        = TorrentMetainfo::Make(FileContent::Virtual(size + 1), "v", "http://t/a", 1u << 18);
    EXPECT_NE(t.GetInfoHash(), u.GetInfoHash());
}

// A single-file torrent as other tools write it, with keys we do not use at both levels: the
// info hash covers the info dictionary exactly as written (unknown keys included), "private"
// is read, and the file re-encodes unchanged.
TEST(TorrentMetainfo, ParsesUnknownKeysAndPrivate)
{
    std::string pieces(60, '\x5a');
    std::string info = "d6:lengthi40000e4:name3:x.y12:piece lengthi16384e6:pieces" + Str(pieces)
                       + "7:privatei1e6:source3:abce";
    std::string file = "d8:announce" + Str("http://t/ann")
                       + "13:announce-listll12:http://t/annel12:http://u/annee"
                       + "13:creation datei1700000000e4:info" + info
                       + "8:url-listl12:http://seed/ee";
    TorrentMetainfo t = TorrentMetainfo::Parse(file);
    EXPECT_EQ(t.GetInfoHash(), Sha1Of(info));
    EXPECT_TRUE(t.IsPrivate());
    EXPECT_EQ(t.GetAnnounce(), "http://t/ann");
    ASSERT_EQ(t.GetAnnounceList().size(), 2u);
    EXPECT_EQ(t.GetAnnounceList()[1], std::vector<std::string>{"http://u/ann"});
    EXPECT_EQ(t.GetName(), "x.y");
    EXPECT_EQ(t.GetLength(), 40000u);
    EXPECT_EQ(t.GetNumPieces(), 3u);
    EXPECT_EQ(t.GetPieceBytes(2), 40000u - 2 * 16384);
    EXPECT_EQ(t.Encode(), file);

    // "private" 0 (or anything but 1) is public.
    std::string info0 = "d6:lengthi40000e4:name3:x.y12:piece lengthi16384e6:pieces" + Str(pieces)
                        + "7:privatei0ee";
    EXPECT_FALSE(TorrentMetainfo::Parse("d4:info" + info0 + "e").IsPrivate());
}

// A multi-file torrent: the files in order, the total length, pieces across file boundaries.
TEST(TorrentMetainfo, ParsesMultiFile)
{
    std::string files = "ld6:lengthi10000e4:pathl3:dir1:aeed6:lengthi0e4:pathl9:empty.txteed"
                        "6:lengthi30000e4:pathl1:beee";
    std::string info = "d5:files" + files + "4:name3:top12:piece lengthi16384e6:pieces"
                       + Str(std::string(60, '\x01')) + "e";
    TorrentMetainfo t = TorrentMetainfo::Parse("d8:announce3:x:y4:info" + info + "e");
    EXPECT_TRUE(t.IsMultiFile());
    EXPECT_EQ(t.GetName(), "top");
    EXPECT_EQ(t.GetLength(), 40000u);
    EXPECT_EQ(t.GetNumPieces(), 3u);
    EXPECT_EQ(t.GetInfoHash(), Sha1Of(info));
    std::vector<std::pair<std::string, uint64_t>> expected
        = {{"dir/a", 10000}, {"empty.txt", 0}, {"b", 30000}};
    EXPECT_EQ(t.GetFiles(), expected);
}

// Every missing or bad field is refused with a message naming it.
TEST(TorrentMetainfo, RejectsBadFields)
{
    const std::string p60 = Str(std::string(60, 'h'));
    // A valid info dictionary's members, one of which each case replaces or drops.
    auto info = [&](const std::map<std::string, std::string>& change) {
        std::map<std::string, std::string> m = {
            {"length", "i40000e"}, {"name", "1:x"}, {"piece length", "i16384e"}, {"pieces", p60}};
        for (const auto& [k, v] : change)
        {
            if (v.empty())
            {
                m.erase(k);
            }
            else
            {
                m[k] = v;
            }
        }
        std::string s = "d";
        for (const auto& [k, v] : m)
        {
            s += Str(k) + v;
        }
        return "d4:info" + s + "ee";
    };
    EXPECT_NO_THROW(TorrentMetainfo::Parse(info({})));

    struct Case
    {
        std::string bytes;
        std::string says;
    };
    const std::vector<Case> cases = {
        {"li1ee", "the file is not a dictionary but a list"},
        {"de", "'info' is missing"},
        {"d4:infoi1ee", "'info' must be a dictionary"},
        {"d8:announcei1e4:info" + info({}).substr(7), "'announce' must be a string"},
        {"d13:announce-list3:abc" + info({}).substr(1), "'announce-list' must be a list"},
        {"d13:announce-listli1ee" + info({}).substr(1), "'announce-list' must be a list"},
        {"d13:announce-listlli1eee" + info({}).substr(1), "'announce-list' must be a string"},
        {info({{"name", ""}}), "'info.name' is missing"},
        {info({{"name", "i1e"}}), "'info.name' must be a string, not an integer"},
        {info({{"name", "0:"}}), "'info.name' is empty"},
        {info({{"piece length", ""}}), "'info.piece length' is missing"},
        {info({{"piece length", "i0e"}}), "'info.piece length' is 0, outside [1, 268435456]"},
        {info({{"piece length", "i-16384e"}}), "'info.piece length' is -16384"},
        {info({{"piece length", "i268435457e"}}), "'info.piece length' is 268435457"},
        {info({{"piece length", "5:16384"}}), "'info.piece length' must be an integer"},
        {info({{"pieces", ""}}), "'info.pieces' is missing"},
        {info({{"pieces", "i1e"}}), "'info.pieces' must be a string"},
        {info({{"pieces", Str(std::string(59, 'h'))}}), "'info.pieces' is 59 bytes"},
        {info({{"pieces", Str(std::string(40, 'h'))}}), "'info.pieces' holds 2 hashes"},
        {info({{"pieces", Str(std::string(80, 'h'))}}), "needs 3"},
        {info({{"length", "i0e"}}), "'info.length' is 0"},
        {info({{"length", "i-40000e"}}), "'info.length' is -40000"},
        {info({{"length", "1:1"}}), "'info.length' must be an integer"},
        {info({{"length", ""}}), "'info' has neither 'length' nor 'files'"},
        {info({{"files", "ld6:lengthi1e4:pathl1:aeee"}}), "'info' has both 'length' and 'files'"},
        {info({{"length", ""}, {"files", "le"}}), "'info.files' must be a non-empty list"},
        {info({{"length", ""}, {"files", "i1e"}}), "'info.files' must be a non-empty list"},
        {info({{"length", ""}, {"files", "li1ee"}}), "'info.files[0]' must be a dictionary"},
        {info({{"length", ""}, {"files", "ld4:pathl1:aeee"}}), "'info.files[0].length' is missing"},
        {info({{"length", ""},
               {"files", "ld6:lengthi40000e4:pathl1:aeed6:lengthi-1e4:pathl1:beee"}}),
         "'info.files[1].length' is -1"},
        {info({{"length", ""}, {"files", "ld6:lengthi40000eee"}}),
         "'info.files[0].path' is missing"},
        {info({{"length", ""}, {"files", "ld6:lengthi40000e4:pathleee"}}),
         "'info.files[0].path' must be a non-empty list"},
        {info({{"length", ""}, {"files", "ld6:lengthi40000e4:pathl2:..1:aeee"}}),
         "'info.files[0].path' has an empty, '.', '..' or '/' component"},
        {info({{"length", ""}, {"files", "ld6:lengthi40000e4:pathl3:a/beee"}}),
         "'info.files[0].path' has an empty"},
        {info({{"length", ""}, {"files", "ld6:lengthi40000e4:pathl0:eee"}}),
         "'info.files[0].path' has an empty"},
        {info({{"length", ""}, {"files", "ld6:lengthi40000e4:pathli1eeee"}}),
         "'info.files[0].path' must be a string"},
        {info({{"length", ""}, {"files", "ld6:lengthi0e4:pathl1:aeee"}, {"pieces", "0:"}}),
         "'info.files' total length is 0"},
        // Not strict bencoding: the decoder's error, with its offset.
        {"d4:infod4:name1:x6:lengthi1eee", "bencode: dictionary keys not sorted"},
        {info({}) + "x", "bencode: 1 trailing byte(s)"},
    };
    for (const Case& c : cases)
    {
        std::string what = ParseError(c.bytes);
        EXPECT_NE(what.find(c.says), std::string::npos)
            << c.bytes << "\n  said: " << what << "\n  expected: " << c.says;
    }
}

// Load() and Save() name the path in their errors.
TEST(TorrentMetainfo, LoadAndSaveErrorsNameThePath)
{
    std::string missing = TempPath("missing.torrent");
    try
    {
        TorrentMetainfo::Load(missing);
        FAIL() << "loaded a missing file";
    }
    catch (const std::runtime_error& e)
    {
        EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
    }
    try
    {
        TorrentMetainfo::Load(::testing::TempDir());
        FAIL() << "loaded a directory";
    }
    catch (const std::runtime_error& e)
    {
        EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
    }
    std::string garbage = TempPath("garbage.torrent");
    std::string bytes = "d4:infoi1ee";
    WriteFile(garbage, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    try
    {
        TorrentMetainfo::Load(garbage);
        FAIL() << "loaded a bad torrent";
    }
    catch (const std::runtime_error& e)
    {
        EXPECT_NE(std::string(e.what()).find(garbage), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("'info' must be a dictionary"), std::string::npos)
            << e.what();
    }
    std::remove(garbage.c_str());

    TorrentMetainfo t = TorrentMetainfo::Make(FileContent::Generate(10, 1), "x", "", 16384);
    std::string unwritable = TempPath("no-such-dir") + "/x.torrent";
    try
    {
        t.Save(unwritable);
        FAIL() << "saved into a missing directory";
    }
    catch (const std::runtime_error& e)
    {
        EXPECT_NE(std::string(e.what()).find(unwritable), std::string::npos) << e.what();
    }
}

// mktorrent -> us: we load what Debian's mktorrent writes, our info hash is the one
// transmission-show prints, our piece hashes verify the file, and we re-encode it unchanged.
TEST(TorrentMetainfoInterop, LoadsMktorrentFiles)
{
    RequireTool("mktorrent", "mktorrent");
    RequireTool("transmission-show", "transmission-cli");

    const uint64_t size = (1u << 20) + 54321;
    FileContent content = FileContent::Generate(size, 11);
    std::string data = TempPath("mk-data.bin");
    std::string torrent = TempPath("mk.torrent");
    WriteFile(data, content.GetData(), size);
    std::remove(torrent.c_str());
    std::string out;
    ASSERT_EQ(RunCommand("mktorrent -l 18 -a http://10.0.0.1:6969/announce -o '" + torrent + "' '"
                             + data + "'",
                         out),
              0)
        << out;

    TorrentMetainfo t = TorrentMetainfo::Load(torrent);
    ASSERT_EQ(RunCommand("transmission-show '" + torrent + "'", out), 0) << out;
    EXPECT_EQ(t.GetInfoHashHex(), ShowField(out, "Hash")) << out;
    std::string name = data.substr(data.rfind('/') + 1);
    EXPECT_EQ(t.GetName(), name);
    EXPECT_EQ(t.GetAnnounce(), "http://10.0.0.1:6969/announce");
    EXPECT_EQ(t.GetLength(), size);
    EXPECT_EQ(t.GetPieceLength(), 1u << 18);
    ASSERT_EQ(t.GetNumPieces(), 5u);
    EXPECT_EQ(ShowField(out, "Piece Count"), "5");
    for (uint32_t p = 0; p < t.GetNumPieces(); ++p)
    {
        EXPECT_TRUE(
            t.VerifyPiece(p, content.GetData() + uint64_t{p} * (1u << 18), t.GetPieceBytes(p)))
            << "piece " << p;
    }
    // Made from the same bytes and name, our info dictionary is mktorrent's.
    TorrentMetainfo ours = TorrentMetainfo::Make(content, name, t.GetAnnounce(), 1u << 18);
    EXPECT_EQ(ours.GetInfoHash(), t.GetInfoHash());
    EXPECT_EQ(t.Encode(), ReadFile(torrent));

    std::remove(data.c_str());
    std::remove(torrent.c_str());
}

// A directory through mktorrent: a multi-file torrent whose files, total and info hash we read
// as transmission-show does, and whose pieces (across file boundaries) verify.
TEST(TorrentMetainfoInterop, LoadsMktorrentMultiFile)
{
    RequireTool("mktorrent", "mktorrent");
    RequireTool("transmission-show", "transmission-cli");

    std::string dir = TempPath("mk-dir");
    std::string torrent = TempPath("mk-dir.torrent");
    std::string out;
    ASSERT_EQ(RunCommand("rm -rf '" + dir + "' && mkdir -p '" + dir + "/sub'", out), 0) << out;
    FileContent a = FileContent::Generate(300000, 1);
    FileContent b = FileContent::Generate(100000, 2);
    WriteFile(dir + "/a.bin", a.GetData(), a.GetSize());
    WriteFile(dir + "/sub/b.bin", b.GetData(), b.GetSize());
    std::remove(torrent.c_str());
    ASSERT_EQ(RunCommand("mktorrent -l 16 -a http://10.0.0.1:6969/announce -o '" + torrent + "' '"
                             + dir + "'",
                         out),
              0)
        << out;

    TorrentMetainfo t = TorrentMetainfo::Load(torrent);
    ASSERT_EQ(RunCommand("transmission-show '" + torrent + "'", out), 0) << out;
    EXPECT_EQ(t.GetInfoHashHex(), ShowField(out, "Hash")) << out;
    EXPECT_TRUE(t.IsMultiFile());
    EXPECT_EQ(t.GetName(), dir.substr(dir.rfind('/') + 1));
    EXPECT_EQ(t.GetLength(), 400000u);
    EXPECT_EQ(t.GetNumPieces(), 7u); // ceil(400000 / 65536)
    std::vector<std::pair<std::string, uint64_t>> expected
        = {{"a.bin", 300000}, {"sub/b.bin", 100000}};
    EXPECT_EQ(t.GetFiles(), expected);
    std::vector<uint8_t> all(a.GetData(), a.GetData() + a.GetSize());
    all.insert(all.end(), b.GetData(), b.GetData() + b.GetSize());
    for (uint32_t p = 0; p < t.GetNumPieces(); ++p)
    {
        EXPECT_TRUE(t.VerifyPiece(p, all.data() + uint64_t{p} * 65536, t.GetPieceBytes(p)))
            << "piece " << p;
    }
    EXPECT_EQ(t.Encode(), ReadFile(torrent));
    RunCommand("rm -rf '" + dir + "'", out);
    std::remove(torrent.c_str());
}

// us -> transmission-show: it accepts what Save() writes and reads the same info hash, name,
// piece count and size, and total size.
TEST(TorrentMetainfoInterop, TransmissionReadsSavedFiles)
{
    RequireTool("transmission-show", "transmission-cli");

    struct Case
    {
        uint64_t size;
        uint32_t pieceLength;
    };
    for (const Case& c : {Case{(1u << 20), 1u << 18}, Case{3000001, 1u << 16}, Case{1, 16384}})
    {
        FileContent content = FileContent::Generate(c.size, c.size);
        TorrentMetainfo t = TorrentMetainfo::Make(content, "ns3-file.bin",
                                                  "http://10.0.0.1:6969/announce", c.pieceLength);
        std::string torrent = TempPath("ours.torrent");
        t.Save(torrent);
        std::string out;
        ASSERT_EQ(RunCommand("transmission-show '" + torrent + "'", out), 0) << out;
        EXPECT_EQ(ShowField(out, "Hash"), t.GetInfoHashHex()) << out;
        EXPECT_EQ(ShowField(out, "Name"), "ns3-file.bin") << out;
        EXPECT_EQ(ShowField(out, "Piece Count"), std::to_string(t.GetNumPieces())) << out;
        EXPECT_TRUE(ShownSizeIs(ShowField(out, "Piece Size"), c.pieceLength)) << out;
        EXPECT_TRUE(ShownSizeIs(ShowField(out, "Total Size"), c.size)) << out;
        EXPECT_NE(out.find("http://10.0.0.1:6969/announce"), std::string::npos) << out;
        std::remove(torrent.c_str());
    }
}

// Random corruptions of a valid metainfo file are either refused with std::runtime_error or
// parse to a consistent torrent (pieces matching the length, re-encoding to the same bytes).
TEST(TorrentMetainfo, MutatedFilesAreRejectedOrConsistent)
{
    std::string good
        = TorrentMetainfo::Make(FileContent::Generate(50000, 5), "m.bin", "http://t/a", 16384)
              .Encode();
    boost::random::mt19937 rng(99);
    boost::random::uniform_int_distribution<int> byte(0, 255);
    size_t accepted = 0;
    for (int round = 0; round < 5000; ++round)
    {
        std::string s = good;
        boost::random::uniform_int_distribution<size_t> at(0, s.size() - 1);
        size_t pos = at(rng);
        switch (byte(rng) % 3)
        {
            case 0:
                s[pos] = static_cast<char>(byte(rng));
                break;
            case 1:
                s.erase(pos, 1);
                break;
            default:
                s.insert(pos, 1, "0123456789:iled"[byte(rng) % 15]);
                break;
        }
        try
        {
            TorrentMetainfo t = TorrentMetainfo::Parse(s);
            ++accepted;
            EXPECT_EQ(t.Encode(), s);
            uint64_t sum = 0;
            for (uint32_t p = 0; p < t.GetNumPieces(); ++p)
            {
                EXPECT_GT(t.GetPieceBytes(p), 0u);
                EXPECT_LE(t.GetPieceBytes(p), t.GetPieceLength());
                sum += t.GetPieceBytes(p);
            }
            EXPECT_EQ(sum, t.GetLength());
        }
        catch (const std::runtime_error&)
        {
        }
    }
    // Corrupted hashes or names still parse; most other corruptions do not.
    EXPECT_GT(accepted, 100u);
    EXPECT_LT(accepted, 5000u);
}
