/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TORRENT_METAINFO_H
#define BULLET_TORRENT_METAINFO_H

#include "ns3/bencode.h"
#include "ns3/file-content.h"
#include "ns3/sha1.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A BitTorrent metainfo (.torrent) file (BEP 3): the tracker's URL, and in the info
 * dictionary the name, the piece length, the SHA-1 of every piece and the length(s).
 *
 * Made from content (single-file torrents), parsed from the bytes of a file that a real tool
 * wrote (mktorrent, transmission-create; single- or multi-file), saved and loaded. The info
 * hash that identifies the torrent to trackers and peers is the SHA-1 of the info dictionary's
 * bytes exactly as they appear in the file. A parsed metainfo keeps the whole decoded file, so
 * Encode() writes back the same bytes (strict decoding only accepts canonical files) and
 * unknown keys ("private", "created by", "url-list", ...) are kept.
 *
 * Virtual content (FileContent::Virtual) gives a virtual metainfo: piece hashes all zero and
 * VerifyPiece() checking lengths only, for simulations that carry no payload bytes. (Its
 * Encode() writes the zero hashes; parsed back, it is an ordinary torrent.)
 *
 * Immutable once made: copies are cheap and share the decoded file and the piece hashes.
 */
class TorrentMetainfo
{
  public:
    /// mktorrent's and mainline's default piece length, 256 KiB (2^18).
    static constexpr uint32_t kDefaultPieceLength = 256 * 1024;
    /// The largest piece length Parse() accepts, 256 MiB (2^28, mktorrent's largest -l).
    static constexpr uint32_t kMaxPieceLength = 1u << 28;
    /// The block size real peers request (BEP 3), which Make() wants piece lengths a multiple
    /// of.
    static constexpr uint32_t kBlockLength = 16 * 1024;

    /// An empty metainfo (no pieces, length 0): a placeholder to assign a made or parsed one to.
    TorrentMetainfo();

    /**
     * The single-file metainfo of \p content, cut into pieces of \p pieceLength bytes (the last
     * may be short), each hashed with SHA-1; virtual content gives a virtual metainfo.
     * \param content the file
     * \param name the file's name (the info dictionary's "name"); must not be empty
     * \param announce the tracker's announce URL (omitted from the file if empty)
     * \param pieceLength bytes per piece
     * \return the metainfo
     * \throws std::invalid_argument on a piece length that is 0 or not a multiple of 16384,
     * or an empty name
     */
    static TorrentMetainfo Make(const FileContent& content, const std::string& name,
                                const std::string& announce,
                                uint32_t pieceLength = kDefaultPieceLength);
    /**
     * Parses a metainfo file's bytes (single- or multi-file).
     * \param bytes the bencoded file
     * \return the metainfo
     * \throws std::runtime_error: a BencodeError for bytes that are not strict bencoding, or
     * a message naming the missing or bad field
     */
    static TorrentMetainfo Parse(const std::string& bytes);
    /**
     * Reads and parses the metainfo file at \p path.
     * \param path the file
     * \return the metainfo
     * \throws std::runtime_error naming the path and what is wrong
     */
    static TorrentMetainfo Load(const std::string& path);

    /// \return the bencoded metainfo file (the parsed bytes again for a parsed one)
    std::string Encode() const;
    /**
     * Writes Encode() to \p path.
     * \param path the file (replaced if present)
     * \throws std::runtime_error naming the path if it cannot be written
     */
    void Save(const std::string& path) const;

    /// \return the SHA-1 of the info dictionary's bytes, as they are in the file
    const Sha1Digest& GetInfoHash() const;
    /// \return GetInfoHash() as 40 lowercase hexadecimal digits
    std::string GetInfoHashHex() const;
    /// \return the tracker's announce URL ("" if the file has none)
    const std::string& GetAnnounce() const;
    /// \return the tiers of tracker URLs of "announce-list" (BEP 12), empty if absent
    const std::vector<std::vector<std::string>>& GetAnnounceList() const;
    /// \return the name in the info dictionary (the file's, or the top directory's)
    const std::string& GetName() const;
    /// \return the total length in bytes (multi-file: the sum of the files')
    uint64_t GetLength() const;
    /// \return bytes per piece
    uint32_t GetPieceLength() const;
    /// \return the number of pieces
    uint32_t GetNumPieces() const;
    /// \param piece a piece index \return its length in bytes (the last may be short), 0
    /// beyond the last piece
    uint32_t GetPieceBytes(uint32_t piece) const;
    /// \param piece a piece index \return its SHA-1 (zeros if virtual)
    /// \throws std::out_of_range if \p piece >= GetNumPieces()
    const Sha1Digest& GetPieceHash(uint32_t piece) const;
    /// \return true if made from virtual content
    bool IsVirtual() const;
    /**
     * Checks a received piece.
     * \param piece the piece index
     * \param data its bytes (may be null for a virtual metainfo)
     * \param len how many
     * \return true if \p piece exists, \p len is its length and (unless virtual) the bytes'
     * SHA-1 is its hash
     */
    bool VerifyPiece(uint32_t piece, const uint8_t* data, size_t len) const;
    /// \return true if the info dictionary says "private" is 1 (BEP 27)
    bool IsPrivate() const;
    /// \return true if the info dictionary lists files (multi-file torrent)
    bool IsMultiFile() const;
    /// \return the files, in the torrent's byte order: (path, length); the path is relative to
    /// the torrent's top directory, components joined with '/' (single-file: the name)
    const std::vector<std::pair<std::string, uint64_t>>& GetFiles() const;

  private:
    /// Sets m_infoHash. \param infoBytes the bencoded info dictionary, as in the file
    void SetInfoBytes(const std::string& infoBytes);

    std::shared_ptr<const BencodeValue> m_root; //!< the whole metainfo dictionary (shared)
    Sha1Digest m_infoHash{};                    //!< SHA-1 of the info dictionary
    std::string m_announce;                     //!< "announce"
    std::vector<std::vector<std::string>> m_announceList;         //!< "announce-list"
    std::string m_name;                                           //!< info "name"
    uint64_t m_length{0};                                         //!< total bytes
    uint32_t m_pieceLength{0};                                    //!< info "piece length"
    std::shared_ptr<const std::vector<Sha1Digest>> m_pieceHashes; //!< one per piece (shared)
    std::vector<std::pair<std::string, uint64_t>> m_files;        //!< (path, length)
    bool m_virtual{false};                                        //!< made from virtual content
    bool m_private{false};                                        //!< info "private" == 1
    bool m_multiFile{false};                                      //!< info has "files"
};

} // namespace ns3

#endif // BULLET_TORRENT_METAINFO_H
