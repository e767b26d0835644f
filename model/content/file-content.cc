/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "file-content.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <sys/stat.h>

namespace ns3
{

namespace
{

/// SplitMix64's output function: a bijective mix of the 64 bits of \p z.
uint64_t
Mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// SplitMix64's increment (the odd integer nearest 2^64 / golden ratio).
constexpr uint64_t kGamma = 0x9e3779b97f4a7c15ULL;

[[noreturn]] void
FileError(const std::string& path, const std::string& why)
{
    throw std::runtime_error("cannot read file '" + path + "': " + why);
}

/// Checks that \p size bytes can be held in one vector.
void
CheckHoldable(uint64_t size, const char* what)
{
    if (size == 0)
    {
        throw std::runtime_error(std::string(what) + ": the file size must be positive");
    }
    if (size > std::vector<uint8_t>().max_size())
    {
        throw std::runtime_error(std::string(what) + ": " + std::to_string(size)
                                 + " bytes cannot be held in memory");
    }
}

} // namespace

FileContent::FileContent(uint64_t size, std::shared_ptr<const std::vector<uint8_t>> bytes)
    : m_size(size)
    , m_bytes(std::move(bytes))
{
}

FileContent
FileContent::FromFile(const std::string& path)
{
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
    {
        FileError(path, std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode))
    {
        FileError(path, "not a regular file");
    }
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr)
    {
        FileError(path, std::strerror(errno));
    }
    // Read to the end rather than trusting st_size: the file may change under us.
    auto bytes = std::make_shared<std::vector<uint8_t>>();
    const size_t kChunk = 1 << 20;
    // One chunk more than the size, so that the read that finds the end does not reallocate.
    bytes->reserve(static_cast<size_t>(st.st_size) + kChunk);
    size_t used = 0;
    while (true)
    {
        bytes->resize(used + kChunk);
        size_t got = std::fread(bytes->data() + used, 1, kChunk, f);
        used += got;
        if (got < kChunk)
        {
            break;
        }
    }
    bool failed = std::ferror(f) != 0;
    int err = errno;
    std::fclose(f);
    if (failed)
    {
        FileError(path, std::strerror(err));
    }
    if (used == 0)
    {
        FileError(path, "the file is empty");
    }
    bytes->resize(used);
    bytes->shrink_to_fit();
    return FileContent(used, std::move(bytes));
}

FileContent
FileContent::FromBytes(std::vector<uint8_t> bytes)
{
    if (bytes.empty())
    {
        throw std::runtime_error("FileContent::FromBytes: the file size must be positive");
    }
    uint64_t size = bytes.size();
    return FileContent(size, std::make_shared<const std::vector<uint8_t>>(std::move(bytes)));
}

FileContent
FileContent::Generate(uint64_t size, uint64_t seed)
{
    CheckHoldable(size, "FileContent::Generate");
    auto bytes = std::make_shared<std::vector<uint8_t>>(static_cast<size_t>(size));
    uint8_t* p = bytes->data();
    const uint64_t key = Mix(seed);
    const uint64_t words = size / 8;
    for (uint64_t i = 0; i < words; ++i, p += 8)
    {
        uint64_t w = Mix(key + (i + 1) * kGamma);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        std::memcpy(p, &w, 8); // the same bytes, least significant first
#else
        for (int k = 0; k < 8; ++k)
        {
            p[k] = static_cast<uint8_t>(w >> (8 * k));
        }
#endif
    }
    if (size % 8 != 0)
    {
        uint64_t w = Mix(key + (words + 1) * kGamma);
        for (uint64_t k = 0; k < size % 8; ++k)
        {
            p[k] = static_cast<uint8_t>(w >> (8 * k));
        }
    }
    return FileContent(size, std::move(bytes));
}

FileContent
FileContent::Virtual(uint64_t size)
{
    if (size == 0)
    {
        throw std::runtime_error("FileContent::Virtual: the file size must be positive");
    }
    return FileContent(size, nullptr);
}

uint64_t
FileContent::GetSize() const
{
    return m_size;
}

bool
FileContent::IsVirtual() const
{
    return m_bytes == nullptr;
}

const uint8_t*
FileContent::GetData() const
{
    return m_bytes ? m_bytes->data() : nullptr;
}

void
FileContent::ReadBlock(uint32_t block, uint32_t blockSize, std::vector<uint8_t>& out) const
{
    if (blockSize == 0)
    {
        throw std::invalid_argument("FileContent::ReadBlock: block size 0");
    }
    uint64_t offset = uint64_t(block) * blockSize;
    if (offset >= m_size)
    {
        throw std::out_of_range("FileContent::ReadBlock: block " + std::to_string(block) + " of "
                                + std::to_string(blockSize)
                                + " bytes starts beyond the end of a file of "
                                + std::to_string(m_size) + " bytes");
    }
    auto len = static_cast<size_t>(std::min<uint64_t>(blockSize, m_size - offset));
    if (IsVirtual())
    {
        out.assign(len, 0);
        return;
    }
    const uint8_t* start = m_bytes->data() + offset;
    out.assign(start, start + len);
}

} // namespace ns3
