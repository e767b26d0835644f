/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "torrent-metainfo.h"

#include "ns3/log.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <sys/stat.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TorrentMetainfo");

namespace
{

/// A metainfo file larger than this is not one (the largest real ones are a few MB).
constexpr uint64_t kMaxFileBytes = 128u << 20;

/// The error for field \p field: \p what.
[[noreturn]] void
Bad(const std::string& field, const std::string& what)
{
    throw std::runtime_error("torrent metainfo: '" + field + "' " + what);
}

/// Member \p key of dictionary \p dict (field name \p field), which must be present.
const BencodeValue&
Require(const BencodeValue& dict, const std::string& key, const std::string& field)
{
    const BencodeValue* v = dict.Find(key);
    if (v == nullptr)
    {
        Bad(field, "is missing");
    }
    return *v;
}

/// \p v as a string (field name \p field).
const std::string&
StringField(const BencodeValue& v, const std::string& field)
{
    if (v.GetType() != BencodeValue::STRING)
    {
        Bad(field, std::string("must be a string, not ") + BencodeValue::TypeName(v.GetType()));
    }
    return v.AsString();
}

/// \p v as an integer in [min, max] (field name \p field).
int64_t
IntegerField(const BencodeValue& v, const std::string& field, int64_t min, int64_t max)
{
    if (v.GetType() != BencodeValue::INTEGER)
    {
        Bad(field, std::string("must be an integer, not ") + BencodeValue::TypeName(v.GetType()));
    }
    int64_t x = v.AsInteger();
    if (x < min || x > max)
    {
        Bad(field, "is " + std::to_string(x) + ", outside [" + std::to_string(min) + ", "
                       + std::to_string(max) + "]");
    }
    return x;
}

/// ceil(length / pieceLength) (pieceLength > 0).
uint64_t
CountPieces(uint64_t length, uint32_t pieceLength)
{
    return length / pieceLength + (length % pieceLength != 0 ? 1 : 0);
}

/// A path component of a multi-file torrent that is safe to use as a file name.
bool
SafeComponent(const std::string& c)
{
    return !c.empty() && c != "." && c != ".." && c.find('/') == std::string::npos
           && c.find('\0') == std::string::npos;
}

} // namespace

TorrentMetainfo::TorrentMetainfo()
    : m_root(std::make_shared<const BencodeValue>(BencodeValue::MakeDict()))
    , m_pieceHashes(std::make_shared<const std::vector<Sha1Digest>>())
{
}

void
TorrentMetainfo::SetInfoBytes(const std::string& infoBytes)
{
    m_infoHash = Sha1::Of(reinterpret_cast<const uint8_t*>(infoBytes.data()), infoBytes.size());
}

TorrentMetainfo
TorrentMetainfo::Make(const FileContent& content, const std::string& name,
                      const std::string& announce, uint32_t pieceLength)
{
    NS_LOG_FUNCTION(content.GetSize() << name << announce << pieceLength);
    if (pieceLength == 0 || pieceLength % kBlockLength != 0)
    {
        throw std::invalid_argument("TorrentMetainfo::Make: piece length "
                                    + std::to_string(pieceLength)
                                    + " is not a positive multiple of 16384");
    }
    if (name.empty())
    {
        throw std::invalid_argument("TorrentMetainfo::Make: empty name");
    }
    uint64_t numPieces = CountPieces(content.GetSize(), pieceLength);
    if (numPieces > std::numeric_limits<uint32_t>::max()
        || content.GetSize() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    {
        throw std::invalid_argument("TorrentMetainfo::Make: " + std::to_string(numPieces)
                                    + " pieces are too many");
    }

    TorrentMetainfo t;
    t.m_announce = announce;
    t.m_name = name;
    t.m_length = content.GetSize();
    t.m_pieceLength = pieceLength;
    t.m_virtual = content.IsVirtual();
    t.m_files = {{name, t.m_length}};
    std::vector<Sha1Digest> hashes(numPieces);
    if (!t.m_virtual)
    {
        for (uint64_t p = 0; p < numPieces; ++p)
        {
            uint64_t offset = p * pieceLength;
            uint64_t bytes = std::min<uint64_t>(pieceLength, t.m_length - offset);
            hashes[p] = Sha1::Of(content.GetData() + offset, bytes);
        }
    }
    std::string pieces;
    pieces.reserve(numPieces * 20);
    for (const Sha1Digest& h : hashes)
    {
        pieces.append(reinterpret_cast<const char*>(h.data()), h.size());
    }

    BencodeValue::Dict info;
    info["length"] = BencodeValue::Integer(static_cast<int64_t>(t.m_length));
    info["name"] = BencodeValue::String(name);
    info["piece length"] = BencodeValue::Integer(pieceLength);
    info["pieces"] = BencodeValue::String(std::move(pieces));
    BencodeValue::Dict root;
    if (!announce.empty())
    {
        root["announce"] = BencodeValue::String(announce);
    }
    root["created by"] = BencodeValue::String("ns3-bullet");
    root["info"] = BencodeValue::MakeDict(std::move(info));
    t.SetInfoBytes(BencodeEncode(root["info"]));
    t.m_root = std::make_shared<const BencodeValue>(BencodeValue::MakeDict(std::move(root)));
    t.m_pieceHashes = std::make_shared<const std::vector<Sha1Digest>>(std::move(hashes));
    return t;
}

TorrentMetainfo
TorrentMetainfo::Parse(const std::string& bytes)
{
    NS_LOG_FUNCTION(bytes.size());
    TorrentMetainfo t;
    auto decoded = std::make_shared<const BencodeValue>(BencodeDecode(bytes));
    t.m_root = decoded;
    const BencodeValue& root = *decoded;
    if (root.GetType() != BencodeValue::DICT)
    {
        throw std::runtime_error(std::string("torrent metainfo: the file is not a dictionary but ")
                                 + BencodeValue::TypeName(root.GetType()));
    }

    if (const BencodeValue* announce = root.Find("announce"))
    {
        t.m_announce = StringField(*announce, "announce");
    }
    if (const BencodeValue* list = root.Find("announce-list"))
    {
        if (list->GetType() != BencodeValue::LIST)
        {
            Bad("announce-list", "must be a list of lists of URLs");
        }
        for (const BencodeValue& tier : list->AsList())
        {
            if (tier.GetType() != BencodeValue::LIST)
            {
                Bad("announce-list", "must be a list of lists of URLs");
            }
            std::vector<std::string> urls;
            for (const BencodeValue& url : tier.AsList())
            {
                urls.push_back(StringField(url, "announce-list"));
            }
            t.m_announceList.push_back(std::move(urls));
        }
    }

    const BencodeValue& info = Require(root, "info", "info");
    if (info.GetType() != BencodeValue::DICT)
    {
        Bad("info",
            std::string("must be a dictionary, not ") + BencodeValue::TypeName(info.GetType()));
    }
    t.m_name = StringField(Require(info, "name", "info.name"), "info.name");
    if (t.m_name.empty())
    {
        Bad("info.name", "is empty");
    }
    t.m_pieceLength
        = static_cast<uint32_t>(IntegerField(Require(info, "piece length", "info.piece length"),
                                             "info.piece length", 1, kMaxPieceLength));

    const BencodeValue* length = info.Find("length");
    const BencodeValue* files = info.Find("files");
    if (length != nullptr && files != nullptr)
    {
        Bad("info", "has both 'length' and 'files'");
    }
    if (length != nullptr)
    {
        t.m_length = static_cast<uint64_t>(
            IntegerField(*length, "info.length", 1, std::numeric_limits<int64_t>::max()));
        t.m_files = {{t.m_name, t.m_length}};
    }
    else if (files != nullptr)
    {
        t.m_multiFile = true;
        if (files->GetType() != BencodeValue::LIST || files->AsList().empty())
        {
            Bad("info.files", "must be a non-empty list");
        }
        for (const BencodeValue& file : files->AsList())
        {
            std::string field = "info.files[" + std::to_string(t.m_files.size()) + "]";
            if (file.GetType() != BencodeValue::DICT)
            {
                Bad(field, "must be a dictionary");
            }
            auto fileLength = static_cast<uint64_t>(
                IntegerField(Require(file, "length", field + ".length"), field + ".length", 0,
                             std::numeric_limits<int64_t>::max()));
            const BencodeValue& path = Require(file, "path", field + ".path");
            if (path.GetType() != BencodeValue::LIST || path.AsList().empty())
            {
                Bad(field + ".path", "must be a non-empty list of strings");
            }
            std::string joined;
            for (const BencodeValue& component : path.AsList())
            {
                const std::string& c = StringField(component, field + ".path");
                if (!SafeComponent(c))
                {
                    Bad(field + ".path", "has an empty, '.', '..' or '/' component");
                }
                joined += (joined.empty() ? "" : "/") + c;
            }
            if (fileLength > std::numeric_limits<uint64_t>::max() - t.m_length)
            {
                Bad("info.files", "total length overflows 64 bits");
            }
            t.m_length += fileLength;
            t.m_files.emplace_back(std::move(joined), fileLength);
        }
        if (t.m_length == 0)
        {
            Bad("info.files", "total length is 0");
        }
    }
    else
    {
        Bad("info", "has neither 'length' nor 'files'");
    }

    const std::string& pieces = StringField(Require(info, "pieces", "info.pieces"), "info.pieces");
    if (pieces.size() % 20 != 0)
    {
        Bad("info.pieces", "is " + std::to_string(pieces.size()) + " bytes, not a multiple of 20");
    }
    uint64_t expected = CountPieces(t.m_length, t.m_pieceLength);
    if (pieces.size() / 20 != expected)
    {
        Bad("info.pieces", "holds " + std::to_string(pieces.size() / 20)
                               + " hashes where a length of " + std::to_string(t.m_length)
                               + " in pieces of " + std::to_string(t.m_pieceLength) + " needs "
                               + std::to_string(expected));
    }
    if (expected > std::numeric_limits<uint32_t>::max())
    {
        Bad("info.pieces", "has too many pieces");
    }
    std::vector<Sha1Digest> hashes(expected);
    for (size_t p = 0; p < expected; ++p)
    {
        std::memcpy(hashes[p].data(), pieces.data() + p * 20, 20);
    }
    t.m_pieceHashes = std::make_shared<const std::vector<Sha1Digest>>(std::move(hashes));

    if (const BencodeValue* priv = info.Find("private"))
    {
        // BEP 27: 1 is private; tools write 0 or nothing otherwise.
        t.m_private = priv->GetType() == BencodeValue::INTEGER && priv->AsInteger() == 1;
    }

    t.SetInfoBytes(bytes.substr(info.GetBegin(), info.GetEnd() - info.GetBegin()));
    return t;
}

TorrentMetainfo
TorrentMetainfo::Load(const std::string& path)
{
    NS_LOG_FUNCTION(path);
    auto fail = [&path](const std::string& why) -> std::runtime_error {
        return std::runtime_error("torrent metainfo " + path + ": " + why);
    };
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
    {
        throw fail(std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode))
    {
        throw fail("not a regular file");
    }
    if (static_cast<uint64_t>(st.st_size) > kMaxFileBytes)
    {
        throw fail(std::to_string(st.st_size) + " bytes, too large for a metainfo file");
    }
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr)
    {
        throw fail(std::strerror(errno));
    }
    std::string bytes;
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0)
    {
        bytes.append(buf, n);
        if (bytes.size() > kMaxFileBytes)
        {
            std::fclose(f);
            throw fail("too large for a metainfo file");
        }
    }
    bool readError = std::ferror(f) != 0;
    std::fclose(f);
    if (readError)
    {
        throw fail("read error");
    }
    try
    {
        return Parse(bytes);
    }
    catch (const std::runtime_error& e)
    {
        throw fail(e.what());
    }
}

std::string
TorrentMetainfo::Encode() const
{
    return BencodeEncode(*m_root);
}

void
TorrentMetainfo::Save(const std::string& path) const
{
    NS_LOG_FUNCTION(path);
    std::string bytes = Encode();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr)
    {
        throw std::runtime_error("torrent metainfo " + path + ": " + std::strerror(errno));
    }
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    ok = (std::fclose(f) == 0) && ok;
    if (!ok)
    {
        throw std::runtime_error("torrent metainfo " + path + ": write failed");
    }
}

const Sha1Digest&
TorrentMetainfo::GetInfoHash() const
{
    return m_infoHash;
}

std::string
TorrentMetainfo::GetInfoHashHex() const
{
    static const char kHex[] = "0123456789abcdef";
    std::string hex;
    for (uint8_t b : m_infoHash)
    {
        hex += kHex[b >> 4];
        hex += kHex[b & 0x0f];
    }
    return hex;
}

const std::string&
TorrentMetainfo::GetAnnounce() const
{
    return m_announce;
}

const std::vector<std::vector<std::string>>&
TorrentMetainfo::GetAnnounceList() const
{
    return m_announceList;
}

const std::string&
TorrentMetainfo::GetName() const
{
    return m_name;
}

uint64_t
TorrentMetainfo::GetLength() const
{
    return m_length;
}

uint32_t
TorrentMetainfo::GetPieceLength() const
{
    return m_pieceLength;
}

uint32_t
TorrentMetainfo::GetNumPieces() const
{
    return static_cast<uint32_t>(m_pieceHashes->size());
}

uint32_t
TorrentMetainfo::GetPieceBytes(uint32_t piece) const
{
    uint32_t n = GetNumPieces();
    if (piece >= n)
    {
        return 0;
    }
    if (piece + 1 < n)
    {
        return m_pieceLength;
    }
    return static_cast<uint32_t>(m_length - uint64_t{piece} * m_pieceLength);
}

const Sha1Digest&
TorrentMetainfo::GetPieceHash(uint32_t piece) const
{
    if (piece >= GetNumPieces())
    {
        throw std::out_of_range("TorrentMetainfo: piece " + std::to_string(piece) + " of "
                                + std::to_string(GetNumPieces()));
    }
    return (*m_pieceHashes)[piece];
}

bool
TorrentMetainfo::IsVirtual() const
{
    return m_virtual;
}

bool
TorrentMetainfo::VerifyPiece(uint32_t piece, const uint8_t* data, size_t len) const
{
    if (piece >= GetNumPieces() || len != GetPieceBytes(piece))
    {
        return false;
    }
    if (m_virtual)
    {
        return true;
    }
    if (data == nullptr)
    {
        return false;
    }
    return Sha1::Of(data, len) == (*m_pieceHashes)[piece];
}

bool
TorrentMetainfo::IsPrivate() const
{
    return m_private;
}

bool
TorrentMetainfo::IsMultiFile() const
{
    return m_multiFile;
}

const std::vector<std::pair<std::string, uint64_t>>&
TorrentMetainfo::GetFiles() const
{
    return m_files;
}

} // namespace ns3
