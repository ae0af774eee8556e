using FlyIo.AppModel;
using FlyIo.AppModel.Docker;
using FlyIo.Json;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Dependencies.Python;
using FlyIo.Diagnostics;

namespace FlyIo.Dependencies.Node;

/// <summary>
/// Node half of dependency alignment: the packages production code imports (the files reachable from the start
/// command, main and exports) must be in package.json dependencies, and stay in the image when dev dependencies
/// are omitted (npm ci --omit=dev, NODE_ENV=production).
/// </summary>
public static class NodeDependencyChecker
{
    private static readonly string[] SourceExtensions = { ".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs", ".jsx" };

    /// <summary>Folders of installed packages, environments and caches: never the app's own code (FlyLaunch skips them too).</summary>
    public static IReadOnlyCollection<string> NotAppFolders => SkippedFolders;

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal)
    {
        "node_modules", ".git", "coverage", ".next", ".nuxt", ".svelte-kit", ".turbo", ".cache", ".vercel", ".fly",
    };

    private static readonly HashSet<string> Runners = new(StringComparer.Ordinal)
    {
        "node", "nodemon", "tsx", "ts-node", "ts-node-esm", "ts-node-dev", "tsnd", "bun", "forever", "pm2-runtime", "babel-node",
    };

    private static readonly HashSet<string> RunnerOptionsWithValue = new(StringComparer.Ordinal)
    {
        "-r", "--require", "--import", "--loader", "--experimental-loader", "--env-file", "--watch-path", "--inspect-port",
        "--max-old-space-size", "--title", "-P", "--project", "--tsconfig", "-i", "--instances", "--name",
    };

    public static IReadOnlyList<FlyDiagnostic> Check(string appDirectory, string? dockerfilePath)
    {
        if (appDirectory is null)
        {
            throw new ArgumentNullException(nameof(appDirectory));
        }

        appDirectory = Path.GetFullPath(appDirectory);
        var context = new Context(appDirectory);
        var diagnostics = context.Diagnostics;
        var packageJsonPath = Path.Combine(appDirectory, "package.json");
        if (!File.Exists(packageJsonPath))
        {
            if (context.AllSources().Any())
            {
                diagnostics.Add(FlyCodes.NodePackageJsonInvalid.Create(
                    "The app has JavaScript/TypeScript sources but no package.json: nothing installs its packages in the image.",
                    "package.json", 0, 0));
            }

            return diagnostics;
        }

        JsonObject package;
        try
        {
            package = JsonReader.Parse(File.ReadAllText(packageJsonPath)) as JsonObject
                      ?? throw new JsonParseException("package.json must hold a JSON object", 1, 1);
        }
        catch (JsonParseException e)
        {
            diagnostics.Add(FlyCodes.NodePackageJsonInvalid.Create(
                $"package.json is not valid JSON ({e.Reason}); npm cannot install the app's packages.",
                "package.json", e.Line, e.Column));
            return diagnostics;
        }

        context.Package = package;
        var production = Section(package, "dependencies").Concat(Section(package, "optionalDependencies"))
            .Concat(Section(package, "peerDependencies")).Select(m => m.Key).ToList();
        var productionSet = new HashSet<string>(production, StringComparer.Ordinal);
        var devSet = new HashSet<string>(Section(package, "devDependencies").Select(m => m.Key).Where(k => !productionSet.Contains(k)), StringComparer.Ordinal);

        dockerfilePath ??= Path.Combine(appDirectory, "Dockerfile");
        Dockerfile? dockerfile = null;
        string? dockerRelative = null;
        if (File.Exists(dockerfilePath))
        {
            dockerfile = Dockerfile.Load(dockerfilePath);
            dockerRelative = PythonManifest.Relative(appDirectory, dockerfilePath);
        }

        var omission = dockerfile is null ? null : NodeDockerfile.DevOmission(dockerfile);
        var omitsDev = omission is { OmitsDev: true };
        var omitWhy = omitsDev ? $"{dockerRelative}({omission!.Line}) runs `{omission.Reason}`, which leaves devDependencies out of the image" : null;

        var commands = RuntimeCommands(context, dockerfile, dockerRelative);
        CheckClis(context, commands, devSet, omitsDev, omitWhy);

        var entries = Entries(context, commands, package, out var unresolved);
        IEnumerable<string> productionFiles;
        if (entries.Count > 0)
        {
            productionFiles = context.Reachable(entries);
        }
        else
        {
            if (unresolved.Count > 0)
            {
                diagnostics.Add(FlyCodes.NodeEntryNotFound.Create(
                    $"The entry point {string.Join(", ", unresolved.Select(u => "'" + u + "'"))} was not found (not built yet?); every non-test source file was checked instead.",
                    "package.json", 0, 0));
            }

            productionFiles = context.AllSources().Where(f => !IsTestFile(context.Relative(f)));
        }

        var selfName = package.GetString("name");
        foreach (var file in productionFiles)
        {
            var relative = context.Relative(file);
            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var import in context.Imports(file))
            {
                if (import.TypeOnly || NodeModules.IsBuiltin(import.Specifier) || NodeModules.IsRelativeOrAbsolute(import.Specifier)
                    || context.IsAlias(import.Specifier))
                {
                    continue;
                }

                var name = NodeModules.PackageName(import.Specifier);
                if (name is null || name == selfName || name.StartsWith("@types/", StringComparison.Ordinal)
                    || productionSet.Contains(name) || !reported.Add(name))
                {
                    continue;
                }

                var crash = $"Error: Cannot find module '{name}'";
                if (devSet.Contains(name))
                {
                    diagnostics.Add(omitsDev
                        ? FlyCodes.NodeDevDependencyOmitted.Create(
                            $"Production code imports '{name}', a devDependency, and {omitWhy}: move it to dependencies " +
                            $"(npm install --save {name}), or the deployed app crashes with {crash}.",
                            relative, import.Line, import.Column)
                        : FlyCodes.NodeDevDependencyInProduction.Create(
                            $"Production code imports '{name}', which is only a devDependency: an image built with npm ci --omit=dev " +
                            $"or NODE_ENV=production would crash with {crash}. Move it to dependencies (npm install --save {name}).",
                            relative, import.Line, import.Column));
                    continue;
                }

                diagnostics.Add(FlyCodes.NodeMissingPackage.Create(
                    $"Production code imports '{name}', which package.json does not list: run npm install --save {name}, " +
                    $"or the deployed app crashes with {crash}.",
                    relative, import.Line, import.Column));
            }
        }

        return diagnostics;
    }

    private static IEnumerable<JsonMember> Section(JsonObject package, string key) =>
        package[key] is JsonObject section ? section.Members : Enumerable.Empty<JsonMember>();

    internal static bool IsTestFile(string relative)
    {
        var parts = relative.Split('/');
        var name = parts[parts.Length - 1];
        if (name.IndexOf(".test.", StringComparison.Ordinal) >= 0 || name.IndexOf(".spec.", StringComparison.Ordinal) >= 0
            || name.IndexOf(".e2e.", StringComparison.Ordinal) >= 0)
        {
            return true;
        }

        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (parts[i] == "__tests__" || parts[i] == "__mocks__" || parts[i] == "test" || parts[i] == "tests" || parts[i] == "e2e")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A command the deployed machine runs, and where it is written.</summary>
    private sealed record RuntimeCommand(string Text, string File, int Line, int Column);

    /// <summary>The Dockerfile CMD/ENTRYPOINT (or the start script when there is none) and every script they run.</summary>
    private static List<RuntimeCommand> RuntimeCommands(Context context, Dockerfile? dockerfile, string? dockerRelative)
    {
        var result = new List<RuntimeCommand>();
        var scripts = context.Package!["scripts"] as JsonObject;
        var queue = new Queue<RuntimeCommand>();
        var start = dockerfile is null ? new List<KeyValuePair<string, int>>() : NodeDockerfile.StartCommands(dockerfile);
        if (start.Count > 0)
        {
            foreach (var pair in start)
            {
                queue.Enqueue(new RuntimeCommand(pair.Key, dockerRelative!, pair.Value, 1));
            }
        }
        else
        {
            queue.Enqueue(new RuntimeCommand("npm start", "package.json", 0, 0));
        }

        var visited = new HashSet<string>(StringComparer.Ordinal);
        while (queue.Count > 0)
        {
            var command = queue.Dequeue();
            result.Add(command);
            foreach (var words in ShellCommands.Split(command.Text))
            {
                var script = ScriptRun(words, scripts);
                if (script is null || scripts is null)
                {
                    continue;
                }

                foreach (var name in new[] { "pre" + script, script, "post" + script })
                {
                    var member = scripts.Members.LastOrDefault(m => m.Key == name);
                    if (member?.Value is JsonString body && visited.Add(name))
                    {
                        queue.Enqueue(new RuntimeCommand(body.Value, "package.json", body.Line, body.Column));
                    }
                }
            }
        }

        return result;
    }

    /// <summary><c>npm start</c>, <c>npm run x</c>, <c>yarn x</c>, <c>pnpm x</c>, <c>node --run x</c>: the script name.</summary>
    private static string? ScriptRun(List<string> words, JsonObject? scripts)
    {
        var w = SkipAssignments(words);
        if (w.Count < 2)
        {
            return null;
        }

        var args = w.Skip(1).Where(x => !x.StartsWith("-", StringComparison.Ordinal)).ToList();
        switch (w[0])
        {
            case "npm":
            case "pnpm":
            case "yarn":
            case "bun":
                if (args.Count == 0)
                {
                    return null;
                }

                if (args[0] == "start" || args[0] == "test")
                {
                    return args[0];
                }

                if ((args[0] == "run" || args[0] == "run-script") && args.Count > 1)
                {
                    return args[1];
                }

                return w[0] != "npm" && scripts?[args[0]] is JsonString ? args[0] : null;
            case "node":
                var run = w.IndexOf("--run");
                return run >= 0 && run + 1 < w.Count ? w[run + 1] : null;
            default:
                return null;
        }
    }

    private static List<string> SkipAssignments(List<string> words)
    {
        var i = 0;
        while (i < words.Count && words[i].IndexOf('=') > 0 && !words[i].StartsWith("-", StringComparison.Ordinal))
        {
            i++;
        }

        if (i < words.Count && (words[i] == "exec" || words[i] == "cross-env" || words[i] == "dotenv"))
        {
            i++;
            while (i < words.Count && ((words[i].IndexOf('=') > 0 && !words[i].StartsWith("-", StringComparison.Ordinal)) || words[i] == "--"))
            {
                i++;
            }
        }

        return words.Skip(i).ToList();
    }

    /// <summary>The words of a command after npx/pnpm exec/yarn exec/bunx and their options.</summary>
    private static List<string> Unwrap(List<string> words)
    {
        var w = SkipAssignments(words);
        if (w.Count > 0 && (w[0] == "npx" || w[0] == "bunx"))
        {
            w = w.Skip(1).SkipWhile(x => x.StartsWith("-", StringComparison.Ordinal)).ToList();
        }
        else if (w.Count > 1 && (w[0] == "pnpm" || w[0] == "yarn") && (w[1] == "exec" || w[1] == "dlx"))
        {
            w = w.Skip(2).SkipWhile(x => x.StartsWith("-", StringComparison.Ordinal)).ToList();
        }

        return w;
    }

    private static void CheckClis(Context context, List<RuntimeCommand> commands, HashSet<string> devSet, bool omitsDev, string? omitWhy)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var command in commands)
        {
            foreach (var words in ShellCommands.Split(command.Text))
            {
                var w = Unwrap(words);
                if (w.Count == 0 || NodeModules.ShellCommands.Contains(w[0]))
                {
                    continue;
                }

                var bin = w[0];
                var provider = devSet.FirstOrDefault(p => context.BinsOf(p).Contains(bin));
                if (provider is null || !reported.Add(command.File + command.Line + provider))
                {
                    continue;
                }

                var where = command.Line > 0 ? string.Empty : " (the start script)";
                context.Diagnostics.Add(omitsDev
                    ? FlyCodes.NodeDevCliAtRuntime.Create(
                        $"The start command{where} runs `{bin}`, the CLI of devDependency '{provider}', and {omitWhy}: move it to dependencies " +
                        $"(npm install --save {provider}), or the machine fails at start with \"{bin}: not found\".",
                        command.File, command.Line, command.Column)
                    : FlyCodes.NodeDevCliAtRuntime.Create(
                        $"The start command{where} runs `{bin}`, the CLI of devDependency '{provider}': it is missing from any image built " +
                        $"with npm ci --omit=dev or NODE_ENV=production. Move it to dependencies (npm install --save {provider}).",
                        command.File, command.Line, command.Column, severity: DiagnosticSeverity.Warning));
            }
        }
    }

    /// <summary>Entry files: from the runtime commands (node/tsx/ts-node file), then main, exports and bin.</summary>
    private static List<string> Entries(Context context, List<RuntimeCommand> commands, JsonObject package, out List<string> unresolved)
    {
        var named = new List<string>();
        foreach (var command in commands)
        {
            foreach (var words in ShellCommands.Split(command.Text))
            {
                var w = Unwrap(words);
                if (w.Count < 2 || !Runners.Contains(w[0]))
                {
                    continue;
                }

                for (var i = 1; i < w.Count; i++)
                {
                    var word = w[i];
                    if (RunnerOptionsWithValue.Contains(word))
                    {
                        i++;
                        continue;
                    }

                    if (word.StartsWith("-", StringComparison.Ordinal) || word == "watch" || word == "start" || word == "run")
                    {
                        continue;
                    }

                    named.Add(word);
                    break;
                }
            }
        }

        if (package.GetString("main") is { } main)
        {
            named.Add(main);
        }

        CollectExports(package["exports"], named);
        if (package["bin"] is JsonString binString)
        {
            named.Add(binString.Value);
        }
        else if (package["bin"] is JsonObject bins)
        {
            named.AddRange(bins.Members.Select(m => m.Value).OfType<JsonString>().Select(s => s.Value));
        }

        if (named.Count == 0)
        {
            named.AddRange(new[] { "server.js", "index.js" }.Where(f => File.Exists(Path.Combine(context.AppDirectory, f))));
        }

        var files = new List<string>();
        unresolved = new List<string>();
        foreach (var entry in named.Distinct())
        {
            var file = context.ResolveEntry(entry);
            if (file is null)
            {
                unresolved.Add(entry);
            }
            else if (!files.Contains(file))
            {
                files.Add(file);
            }
        }

        return files;
    }

    private static void CollectExports(JsonNode? node, List<string> into)
    {
        switch (node)
        {
            case JsonString s:
                into.Add(s.Value);
                break;
            case JsonObject o:
                foreach (var member in o.Members)
                {
                    if (member.Key != "types" && member.Key != "typings")
                    {
                        CollectExports(member.Value, into);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a.Items)
                {
                    CollectExports(item, into);
                }

                break;
        }
    }

    private sealed class Context
    {
        private readonly Dictionary<string, List<JsImport>> _imports = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<string>> _bins = new(StringComparer.Ordinal);
        private List<KeyValuePair<string, string>>? _aliases;

        public Context(string appDirectory) => AppDirectory = appDirectory;

        public string AppDirectory { get; }

        public List<FlyDiagnostic> Diagnostics { get; } = new();

        public JsonObject? Package { get; set; }

        public string Relative(string path) => PythonManifest.Relative(AppDirectory, path);

        public List<JsImport> Imports(string file)
        {
            if (!_imports.TryGetValue(file, out var list))
            {
                try
                {
                    list = JsImportScanner.Scan(File.ReadAllText(file));
                }
                catch (IOException)
                {
                    list = new List<JsImport>();
                }

                _imports[file] = list;
            }

            return list;
        }

        public IEnumerable<string> AllSources()
        {
            var hasSrc = Directory.Exists(Path.Combine(AppDirectory, "src"));
            var pending = new Stack<string>();
            pending.Push(AppDirectory);
            while (pending.Count > 0)
            {
                var directory = pending.Pop();
                var files = Directory.GetFiles(directory);
                Array.Sort(files, StringComparer.Ordinal);
                foreach (var file in files)
                {
                    if (IsSource(file))
                    {
                        yield return file;
                    }
                }

                var children = Directory.GetDirectories(directory);
                Array.Sort(children, StringComparer.Ordinal);
                for (var i = children.Length - 1; i >= 0; i--)
                {
                    var name = Path.GetFileName(children[i]);
                    var topLevelBuild = directory == AppDirectory && hasSrc && (name == "dist" || name == "build" || name == "out");
                    if (!SkippedFolders.Contains(name) && !topLevelBuild)
                    {
                        pending.Push(children[i]);
                    }
                }
            }
        }

        private static bool IsSource(string file) =>
            SourceExtensions.Contains(Path.GetExtension(file), StringComparer.Ordinal)
            && !file.EndsWith(".d.ts", StringComparison.Ordinal) && !file.EndsWith(".d.mts", StringComparison.Ordinal)
            && !file.EndsWith(".d.cts", StringComparison.Ordinal);

        /// <summary>The production files: every file reachable from the entries by relative (or tsconfig-alias) imports, tests left out.</summary>
        public IEnumerable<string> Reachable(List<string> entries)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>(entries.AsEnumerable().Reverse());
            var ordered = new List<string>();
            while (pending.Count > 0)
            {
                var file = pending.Pop();
                if (!seen.Add(file) || IsTestFile(Relative(file)))
                {
                    continue;
                }

                ordered.Add(file);
                foreach (var import in Imports(file))
                {
                    string? target = null;
                    if (import.Specifier.StartsWith(".", StringComparison.Ordinal))
                    {
                        target = ResolveFile(Path.Combine(Path.GetDirectoryName(file)!, import.Specifier));
                    }
                    else if (AliasTarget(import.Specifier) is { } aliased)
                    {
                        target = ResolveFile(aliased);
                    }

                    if (target is not null && !seen.Contains(target))
                    {
                        pending.Push(target);
                    }
                }
            }

            return ordered;
        }

        /// <summary>An entry as written in a command or package.json; when it is a build output (dist/…) that is not built, its source.</summary>
        public string? ResolveEntry(string entry)
        {
            var path = Path.GetFullPath(Path.Combine(AppDirectory, entry));
            var direct = ResolveFile(path);
            if (direct is not null)
            {
                return direct;
            }

            var relative = Relative(path);
            var slash = relative.IndexOf('/');
            if (slash > 0)
            {
                var outDir = relative.Substring(0, slash);
                var rest = relative.Substring(slash + 1);
                foreach (var root in new[] { "src", "." })
                {
                    if (outDir is "dist" or "build" or "out" or "lib" or "server")
                    {
                        var source = ResolveFile(Path.Combine(AppDirectory, root, rest));
                        if (source is not null)
                        {
                            return source;
                        }
                    }
                }
            }

            return null;
        }

        /// <summary>Node and TypeScript resolution of a file path: exact, with an extension, TS's .js→.ts, or a folder's index.</summary>
        public string? ResolveFile(string path)
        {
            path = Path.GetFullPath(path);
            if (File.Exists(path) && IsSource(path))
            {
                return path;
            }

            var extension = Path.GetExtension(path);
            var withoutExtension = path.Substring(0, path.Length - extension.Length);
            var swaps = extension switch
            {
                ".js" => new[] { ".ts", ".tsx" },
                ".jsx" => new[] { ".tsx" },
                ".mjs" => new[] { ".mts" },
                ".cjs" => new[] { ".cts" },
                _ => Array.Empty<string>(),
            };
            foreach (var swap in swaps)
            {
                if (File.Exists(withoutExtension + swap))
                {
                    return withoutExtension + swap;
                }
            }

            foreach (var ext in SourceExtensions)
            {
                if (File.Exists(path + ext))
                {
                    return path + ext;
                }
            }

            if (Directory.Exists(path))
            {
                foreach (var ext in SourceExtensions)
                {
                    var index = Path.Combine(path, "index" + ext);
                    if (File.Exists(index))
                    {
                        return index;
                    }
                }
            }

            return null;
        }

        public bool IsAlias(string specifier) => AliasTarget(specifier) is not null || specifier.StartsWith("@/", StringComparison.Ordinal)
                                                  || specifier.StartsWith("~/", StringComparison.Ordinal) || specifier.StartsWith("#", StringComparison.Ordinal);

        /// <summary>tsconfig.json compilerOptions.paths: "@app/*": ["src/*"] makes "@app/db" the app's own src/db.</summary>
        private string? AliasTarget(string specifier)
        {
            foreach (var alias in Aliases())
            {
                var key = alias.Key;
                if (key.EndsWith("*", StringComparison.Ordinal))
                {
                    var prefix = key.Substring(0, key.Length - 1);
                    if (specifier.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return alias.Value.Replace("*", specifier.Substring(prefix.Length));
                    }
                }
                else if (specifier == key)
                {
                    return alias.Value;
                }
            }

            return null;
        }

        private List<KeyValuePair<string, string>> Aliases()
        {
            if (_aliases is not null)
            {
                return _aliases;
            }

            _aliases = new List<KeyValuePair<string, string>>();
            var tsconfig = Path.Combine(AppDirectory, "tsconfig.json");
            if (!File.Exists(tsconfig))
            {
                return _aliases;
            }

            try
            {
                if (JsonReader.Parse(File.ReadAllText(tsconfig), relaxed: true) is JsonObject root
                    && root["compilerOptions"] is JsonObject options && options["paths"] is JsonObject paths)
                {
                    var baseUrl = Path.Combine(AppDirectory, options.GetString("baseUrl") ?? ".");
                    foreach (var member in paths.Members)
                    {
                        if (member.Value is JsonArray targets && targets.Items.FirstOrDefault() is JsonString first)
                        {
                            _aliases.Add(new KeyValuePair<string, string>(member.Key, Path.Combine(baseUrl, first.Value)));
                        }
                    }
                }
            }
            catch (JsonParseException)
            {
                // an unreadable tsconfig.json: no aliases
            }

            return _aliases;
        }

        /// <summary>The command names a package installs: its package.json "bin" when installed, else well-known names.</summary>
        public HashSet<string> BinsOf(string package)
        {
            if (_bins.TryGetValue(package, out var bins))
            {
                return bins;
            }

            bins = new HashSet<string>(StringComparer.Ordinal);
            var shortName = package.StartsWith("@", StringComparison.Ordinal) && package.IndexOf('/') > 0
                ? package.Substring(package.IndexOf('/') + 1)
                : package;
            var installed = Path.Combine(AppDirectory, "node_modules", package, "package.json");
            var read = false;
            if (File.Exists(installed))
            {
                try
                {
                    if (JsonReader.Parse(File.ReadAllText(installed)) is JsonObject manifest)
                    {
                        if (manifest["bin"] is JsonString)
                        {
                            bins.Add(shortName);
                            read = true;
                        }
                        else if (manifest["bin"] is JsonObject binTable)
                        {
                            foreach (var member in binTable.Members)
                            {
                                bins.Add(member.Key);
                            }

                            read = true;
                        }
                    }
                }
                catch (JsonParseException)
                {
                    // fall back to the well-known names
                }
            }

            if (!read)
            {
                bins.Add(shortName);
                foreach (var known in NodeModules.KnownBins)
                {
                    if (known.Value == package)
                    {
                        bins.Add(known.Key);
                    }
                }
            }

            _bins[package] = bins;
            return bins;
        }
    }
}
