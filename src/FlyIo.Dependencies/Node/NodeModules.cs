using System;
using System.Collections.Generic;

namespace FlyIo.Dependencies.Node;

/// <summary>Node's builtin module names and how a specifier maps to a package.</summary>
internal static class NodeModules
{
    /// <summary>require('module').builtinModules (Node 18–22), without the internal _-prefixed ones.</summary>
    public static readonly HashSet<string> Builtins = new(StringComparer.Ordinal)
    {
        "assert", "assert/strict", "async_hooks", "buffer", "child_process", "cluster", "console", "constants", "crypto",
        "dgram", "diagnostics_channel", "dns", "dns/promises", "domain", "events", "fs", "fs/promises", "http", "http2",
        "https", "inspector", "inspector/promises", "module", "net", "os", "path", "path/posix", "path/win32",
        "perf_hooks", "process", "punycode", "querystring", "readline", "readline/promises", "repl", "stream",
        "stream/consumers", "stream/promises", "stream/web", "string_decoder", "sys", "timers", "timers/promises", "tls",
        "trace_events", "tty", "url", "util", "util/types", "v8", "vm", "wasi", "worker_threads", "zlib",
    };

    /// <summary>Builtins that exist only with the node: prefix (node:test, node:sqlite, node:sea).</summary>
    public static readonly HashSet<string> PrefixOnlyBuiltins = new(StringComparer.Ordinal)
    {
        "test", "test/reporters", "sqlite", "sea",
    };

    public static bool IsBuiltin(string specifier) =>
        specifier.StartsWith("node:", StringComparison.Ordinal) || Builtins.Contains(specifier);

    public static bool IsRelativeOrAbsolute(string specifier) =>
        specifier.StartsWith(".", StringComparison.Ordinal) || specifier.StartsWith("/", StringComparison.Ordinal)
        || specifier.StartsWith("file:", StringComparison.Ordinal);

    /// <summary><c>@scope/pkg/sub</c> → <c>@scope/pkg</c>, <c>pkg/sub</c> → <c>pkg</c>; null for aliases, URLs and #imports.</summary>
    public static string? PackageName(string specifier)
    {
        if (specifier.Length == 0 || specifier[0] == '#' || specifier[0] == '~' || specifier.IndexOf(':') >= 0 || specifier[0] == '\\')
        {
            return null;
        }

        var parts = specifier.Split('/');
        if (specifier[0] == '@')
        {
            return parts.Length >= 2 && parts[0].Length > 1 && parts[1].Length > 0 ? parts[0] + "/" + parts[1] : null;
        }

        return parts[0];
    }

    /// <summary>Command names of well-known CLIs whose package has another name.</summary>
    public static readonly Dictionary<string, string> KnownBins = new(StringComparer.Ordinal)
    {
        ["tsc"] = "typescript",
        ["sequelize"] = "sequelize-cli",
        ["nest"] = "@nestjs/cli",
        ["pm2-runtime"] = "pm2",
        ["mikro-orm"] = "@mikro-orm/cli",
        ["dotenv"] = "dotenv-cli",
        ["ts-node-esm"] = "ts-node",
        ["ts-node-dev"] = "ts-node-dev",
        ["tsnd"] = "ts-node-dev",
        ["remix-serve"] = "@remix-run/serve",
        ["react-router-serve"] = "@react-router/serve",
        ["astro"] = "astro",
        ["nuxt"] = "nuxt",
        ["nuxi"] = "nuxi",
        ["svelte-kit"] = "@sveltejs/kit",
    };

    /// <summary>Commands that are never a package's CLI.</summary>
    public static readonly HashSet<string> ShellCommands = new(StringComparer.Ordinal)
    {
        "node", "npm", "npx", "yarn", "pnpm", "bun", "bunx", "corepack", "sh", "bash", "exec", "cd", "echo", "env", "set",
        "export", "true", "false", "test", "[", "sleep", "cp", "mv", "rm", "mkdir", "cat", "tini", "dumb-init", "/bin/sh",
    };
}
