using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace FlyIo.Launch.Standalone;

/// <summary>
/// Reads a Python app: its .py files at the top level and one folder down (the module the server is told to load
/// first, so its routes and port win), and the packages it declares, to tell the framework.
/// </summary>
internal static class PythonAppReader
{
    /// <summary><c>main:app</c>, <c>app.main:create_app()</c>: the module a WSGI/ASGI server loads.</summary>
    private static readonly Regex AppTarget = new(@"^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):[A-Za-z_]", RegexOptions.CultureInvariant);

    private static readonly HashSet<string> AppServers = new(StringComparer.Ordinal) { "uvicorn", "gunicorn", "hypercorn", "daphne" };

    private static readonly Dictionary<string, string> FrameworkPackages = new(StringComparer.Ordinal)
    {
        ["fastapi"] = StandaloneFrameworks.FastApi,
        ["flask"] = StandaloneFrameworks.Flask,
        ["django"] = StandaloneFrameworks.Django,
    };

    public static AppReading Read(string folder, List<ServerInvocation> invocations)
    {
        var facts = new AppSourceFacts();
        foreach (var file in SourceFiles(folder, invocations))
        {
            if (AppFiles.TryRead(file) is { } text)
            {
                PythonSourceReader.Read(AppFiles.Relative(folder, file), text, facts);
            }
        }

        return new AppReading(facts, Framework(folder, invocations, facts), invocations);
    }

    private static IEnumerable<string> SourceFiles(string folder, List<ServerInvocation> invocations)
    {
        var candidates = new List<string>();
        foreach (var invocation in invocations)
        {
            foreach (var arg in invocation.Args)
            {
                if (invocation.Program == "python" && arg.Text.EndsWith(".py", StringComparison.Ordinal) && AppFiles.InFolder(folder, arg.Text) is { } script)
                {
                    candidates.Add(script);
                }
                else if (AppServers.Contains(invocation.Program) && AppTarget.Match(arg.Text) is { Success: true } target)
                {
                    candidates.Add(Path.Combine(folder, target.Groups[1].Value.Replace('.', Path.DirectorySeparatorChar) + ".py"));
                }
            }
        }

        candidates.AddRange(AppFiles.TopLevel(folder, "*.py"));
        foreach (var sub in AppFiles.CodeFolders(folder))
        {
            candidates.AddRange(AppFiles.TopLevel(sub, "*.py"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        return candidates.Select(Path.GetFullPath).Where(f => File.Exists(f) && seen.Add(f)).ToList();
    }

    /// <summary>
    /// Django when the image runs manage.py; else the framework the code imports (one it also declares, when it imports
    /// several); else the one it declares; else Django when there is a manage.py.
    /// </summary>
    private static string? Framework(string folder, List<ServerInvocation> invocations, AppSourceFacts facts)
    {
        if (invocations.Any(i => i.Program == "manage.py"))
        {
            return StandaloneFrameworks.Django;
        }

        // The dependency check's own reading of requirements*.txt and pyproject.toml, names normalized (PEP 503).
        var declared = FlyIo.Dependencies.Python.PythonManifest.Read(folder).Requirements.Select(r => r.Normalized)
            .Where(FrameworkPackages.ContainsKey)
            .Select(name => FrameworkPackages[name])
            .ToList();
        if (facts.ImportedFrameworks.Count > 0)
        {
            return facts.ImportedFrameworks.FirstOrDefault(declared.Contains) ?? facts.ImportedFrameworks[0];
        }

        if (declared.Count > 0)
        {
            return declared[0];
        }

        return File.Exists(Path.Combine(folder, "manage.py")) ? StandaloneFrameworks.Django : null;
    }
}
