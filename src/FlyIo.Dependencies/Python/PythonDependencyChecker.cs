using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Diagnostics;

namespace FlyIo.Dependencies.Python;

/// <summary>
/// Python half of dependency alignment: every module the app imports must come from the standard library, the app
/// itself, a distribution its requirements declare, or a Debian package its Dockerfile installs with apt
/// (python3-fastapi). Catches <c>ModuleNotFoundError</c> before an image is built.
/// </summary>
public static class PythonDependencyChecker
{
    /// <summary>Folders of installed packages, environments and caches: never the app's own code (FlyLaunch skips them too).</summary>
    public static IReadOnlyCollection<string> NotAppFolders => SkippedFolders;

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal)
    {
        ".venv", "venv", ".env", "env", "site-packages", "node_modules", "__pycache__", ".git", ".tox", ".nox",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs", "__pypackages__",
    };

    /// <summary>
    /// Checks the app in <paramref name="appDirectory"/>; <paramref name="dockerfilePath"/> is the Dockerfile that
    /// builds its image (null: the app folder's Dockerfile, when there is one).
    /// </summary>
    public static IReadOnlyList<FlyDiagnostic> Check(string appDirectory, string? dockerfilePath = null)
    {
        if (appDirectory is null)
        {
            throw new ArgumentNullException(nameof(appDirectory));
        }

        appDirectory = Path.GetFullPath(appDirectory);
        var diagnostics = new List<FlyDiagnostic>();
        var manifest = PythonManifest.Read(appDirectory);
        diagnostics.AddRange(manifest.Diagnostics);
        var aptPackages = AptPythonPackages.Read(dockerfilePath ?? Path.Combine(appDirectory, "Dockerfile"));

        var production = new HashSet<string>(manifest.Requirements.Where(r => !r.Dev).Select(r => r.Normalized), StringComparer.Ordinal);
        production.UnionWith(aptPackages.Select(p => p.Normalized));
        var development = new HashSet<string>(manifest.Requirements.Where(r => r.Dev).Select(r => r.Normalized), StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var locals = new LocalModules(appDirectory);
        var mentionsRewrite = false;
        var databaseCalls = new List<KeyValuePair<string, PyDatabaseUrlCall>>();

        foreach (var file in PythonFiles(appDirectory))
        {
            var relative = PythonManifest.Relative(appDirectory, file);
            var isTest = IsTestFile(relative);
            var fileDirectory = Path.GetDirectoryName(file)!;
            PyFileScan scan;
            try
            {
                scan = PythonSourceScanner.Scan(File.ReadAllText(file));
            }
            catch (IOException)
            {
                continue;
            }

            mentionsRewrite |= scan.MentionsPostgresScheme;
            foreach (var call in scan.DatabaseUrlCalls)
            {
                databaseCalls.Add(new KeyValuePair<string, PyDatabaseUrlCall>(relative, call));
            }

            foreach (var reference in scan.ModuleLikeStrings)
            {
                var top = TopLevel(reference);
                if (!PythonPackageNames.IsStandardLibrary(top) && !locals.IsLocal(top, fileDirectory))
                {
                    foreach (var choice in PythonPackageNames.DistributionsFor(reference))
                    {
                        used.Add(choice.Normalized);
                    }
                }
            }

            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var import in scan.Imports)
            {
                if (import.Kind == PyImportKind.TypeOnly)
                {
                    continue;
                }

                var top = import.TopLevel;
                if (PythonPackageNames.IsStandardLibrary(top) || locals.IsLocal(top, fileDirectory))
                {
                    continue;
                }

                var choices = Choices(import);
                var inProduction = false;
                var inDevelopment = false;
                foreach (var choice in choices)
                {
                    var name = choice.Normalized;
                    if (production.Contains(name))
                    {
                        inProduction = true;
                        used.Add(name);
                    }

                    if (development.Contains(name))
                    {
                        inDevelopment = true;
                    }
                }

                if (inProduction || (isTest && inDevelopment) || !reported.Add(top))
                {
                    continue;
                }

                diagnostics.Add(Missing(manifest, aptPackages.Count > 0, relative, import, choices, isTest, inDevelopment));
            }
        }

        var hasAlembicIni = File.Exists(Path.Combine(appDirectory, "alembic.ini"));
        foreach (var requirement in manifest.Requirements)
        {
            if (requirement.Dev || used.Contains(requirement.Normalized) || PythonPackageNames.IsRuntimeOnly(requirement.Normalized, hasAlembicIni))
            {
                continue;
            }

            diagnostics.Add(FlyCodes.PythonUnusedRequirement.Create(
                $"{requirement.Name} is listed in {requirement.File} but no Python file imports it; remove it if the app does not need it.",
                requirement.File, requirement.Line, requirement.Column));
        }

        if (!mentionsRewrite)
        {
            foreach (var pair in databaseCalls)
            {
                diagnostics.Add(FlyCodes.PythonDatabaseUrlScheme.Create(
                    $"{pair.Value.Function}() receives DATABASE_URL as is: Fly sets it to postgres://..., which SQLAlchemy 1.4+ rejects " +
                    "(\"Can't load plugin: sqlalchemy.dialects:postgres\"). Rewrite the scheme first, e.g. " +
                    "url.replace(\"postgres://\", \"postgresql+psycopg://\", 1).",
                    pair.Key, pair.Value.Line, pair.Value.Column));
            }
        }

        return diagnostics;
    }

    private static FlyDiagnostic Missing(PythonManifest manifest, bool installsWithApt, string relative, PyImport import, IReadOnlyList<PyDistributionChoice> choices, bool isTest, bool inDevelopment)
    {
        var suggested = choices[0].ToString();
        var alternatives = choices.Count > 1 ? " (or " + string.Join(", ", choices.Skip(1).Select(c => c.ToString())) + ")" : string.Empty;
        var target = manifest.Files.FirstOrDefault(f => f == "requirements.txt")
                     ?? manifest.Files.FirstOrDefault(f => !PythonManifest.IsDevFileName(".", f) && f.EndsWith(".txt", StringComparison.Ordinal))
                     ?? manifest.Files.FirstOrDefault(f => f == "pyproject.toml")
                     ?? "requirements.txt";
        var crash = $"No module named '{import.TopLevel}'";
        if (isTest)
        {
            return FlyCodes.PythonTestImportMissing.Create(
                $"Test code imports {import.Module}, but no requirements file (dev ones included) lists {suggested}{alternatives}: add it to your dev requirements.",
                relative, import.Line, import.Column);
        }

        if (import.Kind == PyImportKind.Optional)
        {
            return FlyCodes.PythonOptionalImportMissing.Create(
                $"Optional import of {import.Module} (guarded): {suggested}{alternatives} is not in {target}, so the image runs without it.",
                relative, import.Line, import.Column);
        }

        if (inDevelopment)
        {
            return FlyCodes.PythonDevOnlyDistribution.Create(
                $"{import.Module} is imported by app code, but {suggested} is only in development requirements: move it to {target}, " +
                $"or the deployed app crashes with ModuleNotFoundError: {crash}.",
                relative, import.Line, import.Column);
        }

        var where = manifest.HasProductionManifest ? target : target + " (the app has none)";
        if (installsWithApt)
        {
            // The app takes its libraries from Debian: the fix may as well be one more python3- package.
            return FlyCodes.PythonMissingDistribution.Create(
                $"{import.Module} is imported, but its distribution {suggested}{alternatives} is neither in {where} nor among the python3- " +
                $"packages the Dockerfile installs with apt: add '{suggested}' to {target} or its Debian package to the apt install, " +
                $"or the deployed app crashes with ModuleNotFoundError: {crash}.",
                relative, import.Line, import.Column);
        }

        return FlyCodes.PythonMissingDistribution.Create(
            $"{import.Module} is imported, but its distribution {suggested}{alternatives} is not in {where}: add '{suggested}' to {target}, " +
            $"or the deployed app crashes with ModuleNotFoundError: {crash}.",
            relative, import.Line, import.Column);
    }

    private static IReadOnlyList<PyDistributionChoice> Choices(PyImport import)
    {
        var result = new List<PyDistributionChoice>();
        foreach (var name in import.Names)
        {
            foreach (var choice in PythonPackageNames.DistributionsFor(import.Module + "." + name))
            {
                if (!result.Contains(choice))
                {
                    result.Add(choice);
                }
            }
        }

        foreach (var choice in PythonPackageNames.DistributionsFor(import.Module))
        {
            if (!result.Contains(choice))
            {
                result.Add(choice);
            }
        }

        return result;
    }

    private static string TopLevel(string module)
    {
        var dot = module.IndexOf('.');
        return dot < 0 ? module : module.Substring(0, dot);
    }

    internal static bool IsTestFile(string relative)
    {
        var parts = relative.Split('/');
        var name = parts[parts.Length - 1];
        if (name.StartsWith("test_", StringComparison.Ordinal) || name.EndsWith("_test.py", StringComparison.Ordinal) || name == "conftest.py")
        {
            return true;
        }

        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (parts[i] == "tests" || parts[i] == "test" || parts[i] == "testing")
            {
                return true;
            }
        }

        return false;
    }

    internal static IEnumerable<string> PythonFiles(string appDirectory)
    {
        var pending = new Stack<string>();
        pending.Push(appDirectory);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            string[] files;
            string[] children;
            try
            {
                files = Directory.GetFiles(directory, "*.py");
                children = Directory.GetDirectories(directory);
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
            {
                yield return file;
            }

            Array.Sort(children, StringComparer.Ordinal);
            for (var i = children.Length - 1; i >= 0; i--)
            {
                var name = Path.GetFileName(children[i]);
                if (!SkippedFolders.Contains(name) && !File.Exists(Path.Combine(children[i], "pyvenv.cfg")))
                {
                    pending.Push(children[i]);
                }
            }
        }
    }

    /// <summary>The app's own top-level modules: *.py and folders holding Python files, at the app root, src/ and beside the importer.</summary>
    private sealed class LocalModules
    {
        private readonly string _appDirectory;
        private readonly Dictionary<string, bool> _cache = new(StringComparer.Ordinal);

        public LocalModules(string appDirectory) => _appDirectory = appDirectory;

        public bool IsLocal(string top, string fileDirectory) =>
            Exists(_appDirectory, top) || Exists(Path.Combine(_appDirectory, "src"), top) || Exists(fileDirectory, top);

        private bool Exists(string root, string top)
        {
            var key = root + "|" + top;
            if (_cache.TryGetValue(key, out var known))
            {
                return known;
            }

            var result = File.Exists(Path.Combine(root, top + ".py"))
                         || File.Exists(Path.Combine(root, top + ".pyi"))
                         || (Directory.Exists(Path.Combine(root, top))
                             && Directory.EnumerateFiles(Path.Combine(root, top), "*.py", SearchOption.AllDirectories).Any());
            _cache[key] = result;
            return result;
        }
    }
}
