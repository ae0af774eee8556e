using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace FlyIo.Launch.Standalone;

/// <summary>
/// Reads a Node app: the script the image runs (through <c>npm start</c> and package.json scripts), package.json
/// "main", else the usual entry names; then the local files those import, since routes often live in their own module.
/// </summary>
internal static class NodeAppReader
{
    /// <summary>A bound on the local files followed, so a huge source tree cannot make a launch slow.</summary>
    private const int MaxFiles = 200;

    private static readonly HashSet<string> PackageManagers = new(StringComparer.Ordinal) { "npm", "yarn", "pnpm" };

    private static readonly HashSet<string> ScriptRunners = new(StringComparer.Ordinal) { "node", "nodemon", "ts-node", "tsx", "fastify" };

    private static readonly string[] Extensions = { ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts" };

    private static readonly string[] UsualEntries = { "index", "server", "app" };

    public static AppReading Read(string folder, List<ServerInvocation> invocations)
    {
        var package = NodePackageJson.Read(folder);
        var all = new List<ServerInvocation>(invocations);
        foreach (var invocation in invocations)
        {
            if (PackageManagers.Contains(invocation.Program) && ScriptName(invocation) is { } name && package.Script(name) is { } script)
            {
                all.AddRange(StartCommand.FromScript(script, $"package.json: scripts.{name}"));
            }
        }

        var facts = new AppSourceFacts();
        var queue = new Queue<string>(EntryFiles(folder, all, package));
        var seen = new HashSet<string>(queue, StringComparer.Ordinal);
        while (queue.Count > 0)
        {
            var file = queue.Dequeue();
            if (AppFiles.TryRead(file) is not { } text)
            {
                continue;
            }

            foreach (var specifier in NodeSourceReader.Read(AppFiles.Relative(folder, file), text, facts))
            {
                if (Resolve(Path.Combine(Path.GetDirectoryName(file)!, specifier)) is { } local
                    && !AppFiles.Relative(folder, local).StartsWith("../", StringComparison.Ordinal)
                    && seen.Count < MaxFiles && seen.Add(local))
                {
                    queue.Enqueue(local);
                }
            }
        }

        return new AppReading(facts, Framework(all, package, facts), all);
    }

    /// <summary><c>npm start</c> → start, <c>npm run serve</c> → serve, <c>yarn serve</c> → serve.</summary>
    private static string? ScriptName(ServerInvocation invocation)
    {
        var args = invocation.Args;
        if (args.Count == 0)
        {
            return null;
        }

        if (args[0].Text is "run" or "run-script")
        {
            return args.Count > 1 ? args[1].Text : null;
        }

        return args[0].Text == "start" || invocation.Program != "npm" ? args[0].Text : null;
    }

    private static List<string> EntryFiles(string folder, List<ServerInvocation> invocations, NodePackageJson package)
    {
        var entries = new List<string>();
        foreach (var invocation in invocations)
        {
            if (ScriptRunners.Contains(invocation.Program))
            {
                entries.AddRange(invocation.Args
                    .Where(a => !a.Text.StartsWith("-", StringComparison.Ordinal))
                    .Select(a => AppFiles.InFolder(folder, a.Text) is { } path ? Resolve(path) : null)
                    .OfType<string>());
            }

            // npm start without a start script runs node server.js.
            if (PackageManagers.Contains(invocation.Program) && ScriptName(invocation) == "start" && package.Script("start") is null)
            {
                entries.AddRange(new[] { Resolve(Path.Combine(folder, "server.js")) }.OfType<string>());
            }
        }

        if (package.Main is { } main && AppFiles.InFolder(folder, main) is { } mainPath && Resolve(mainPath) is { } mainFile)
        {
            entries.Add(mainFile);
        }

        if (entries.Count == 0)
        {
            entries.AddRange(UsualEntries.Select(name => Resolve(Path.Combine(folder, name))).OfType<string>());
            var src = Path.Combine(folder, "src");
            if (Directory.Exists(src))
            {
                entries.AddRange(Directory.GetFiles(src)
                    .Where(f => f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".mjs", StringComparison.Ordinal) || f.EndsWith(".ts", StringComparison.Ordinal))
                    .OrderBy(f => f, StringComparer.Ordinal));
            }
        }

        return entries.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>A module path as Node (or a TypeScript runner) finds it: as written, with an extension, or its folder's index.</summary>
    private static string? Resolve(string path)
    {
        var candidates = new List<string> { path };
        candidates.AddRange(Extensions.Select(e => path + e));
        if (path.EndsWith(".js", StringComparison.Ordinal))
        {
            candidates.Add(path.Substring(0, path.Length - 3) + ".ts"); // TypeScript ESM imports name the compiled .js
        }

        candidates.AddRange(Extensions.Select(e => Path.Combine(path, "index" + e)));
        return candidates.Where(File.Exists).Select(Path.GetFullPath).FirstOrDefault();
    }

    /// <summary>Fastify when fastify-cli runs it; else the framework the code imports (one it also depends on, when several); else the one it depends on.</summary>
    private static string? Framework(List<ServerInvocation> invocations, NodePackageJson package, AppSourceFacts facts)
    {
        if (invocations.Any(i => i.Program == "fastify"))
        {
            return StandaloneFrameworks.Fastify;
        }

        var declared = new List<string>();
        foreach (var name in package.Dependencies)
        {
            if (name == "express")
            {
                declared.Add(StandaloneFrameworks.Express);
            }
            else if (name == "fastify")
            {
                declared.Add(StandaloneFrameworks.Fastify);
            }
        }

        if (facts.ImportedFrameworks.Count > 0)
        {
            return facts.ImportedFrameworks.FirstOrDefault(declared.Contains) ?? facts.ImportedFrameworks[0];
        }

        return declared.Count > 0 ? declared[0] : null;
    }
}
