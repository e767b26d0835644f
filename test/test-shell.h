/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TEST_SHELL_H
#define BULLET_TEST_SHELL_H

#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace ns3
{

/// Runs a shell command; returns its exit status (-1 if it did not exit normally) and, in
/// \p output, its stdout (and stderr if the command redirects it).
inline int
Shell(const std::string& cmd, std::string* output = nullptr)
{
    FILE* f = popen(cmd.c_str(), "r");
    if (!f)
    {
        return -1;
    }
    std::string text;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
    {
        text.append(buf, n);
    }
    int status = pclose(f);
    if (output)
    {
        *output = text;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace ns3

#endif // BULLET_TEST_SHELL_H
