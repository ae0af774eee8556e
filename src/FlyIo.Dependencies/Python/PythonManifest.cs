using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Diagnostics;
using FlyIo.Toml;

namespace FlyIo.Dependencies.Python;

/// <summary>One declared distribution and where it was written.</summary>
public sealed record PyRequirement(string Name, string? Extras, string File, int Line, int Column, bool Dev)
{
    public string Normalized => PythonPackageNames.Normalize(Name);
}

/// <summary>The distributions an app declares: requirements*.txt (with -r includes) and pyproject.toml.</summary>
public sealed class PythonManifest
{
    private static readonly HashSet<string> DevWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "dev", "develop", "development", "test", "tests", "testing", "lint", "linting", "docs", "doc", "ci", "local",
        "typing", "mypy", "format", "style", "qa", "check", "tox",
    };

    public List<PyRequirement> Requirements { get; } = new();

    public List<FlyDiagnostic> Diagnostics { get; } = new();

    /// <summary>Manifest files read, relative to the app folder (for messages).</summary>
    public List<string> Files { get; } = new();

    public bool HasProductionManifest { get; private set; }

    public static PythonManifest Read(string appDirectory)
    {
        var manifest = new PythonManifest();
        var candidates = new List<string>();
        candidates.AddRange(Directory.GetFiles(appDirectory, "*requirements*.txt"));
        candidates.AddRange(Directory.GetFiles(appDirectory, "*requirements*.in"));
        var folder = Path.Combine(appDirectory, "requirements");
        if (Directory.Exists(folder))
        {
            candidates.AddRange(Directory.GetFiles(folder, "*.txt"));
            candidates.AddRange(Directory.GetFiles(folder, "*.in"));
        }

        candidates.Sort(StringComparer.Ordinal);

        // Production files first: a file they include is production even when a dev file includes it too.
        var seen = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var file in candidates.Where(f => !IsDevFileName(appDirectory, f)))
        {
            manifest.ReadRequirementsFile(appDirectory, Path.GetFullPath(file), dev: false, seen, null);
        }

        foreach (var file in candidates.Where(f => IsDevFileName(appDirectory, f)))
        {
            manifest.ReadRequirementsFile(appDirectory, Path.GetFullPath(file), dev: true, seen, null);
        }

        var pyproject = Path.Combine(appDirectory, "pyproject.toml");
        if (File.Exists(pyproject))
        {
            manifest.ReadPyproject(appDirectory, pyproject);
        }

        return manifest;
    }

    internal static bool IsDevFileName(string appDirectory, string file)
    {
        var relative = Relative(appDirectory, file);
        var stem = relative.Substring(0, relative.Length - Path.GetExtension(relative).Length);
        return stem.Split('-', '_', '.', '/', '\\').Any(w => DevWords.Contains(w));
    }

    internal static string Relative(string appDirectory, string path)
    {
        var root = Path.GetFullPath(appDirectory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(path);
        return (full.StartsWith(root, StringComparison.Ordinal) ? full.Substring(root.Length) : full).Replace('\\', '/');
    }

    private void ReadRequirementsFile(string appDirectory, string path, bool dev, Dictionary<string, bool> seen, FlyDiagnostic? includedFrom)
    {
        if (seen.TryGetValue(path, out var wasDev) && (wasDev == dev || !wasDev))
        {
            return;
        }

        seen[path] = dev;
        if (!File.Exists(path))
        {
            if (includedFrom is not null)
            {
                Diagnostics.Add(includedFrom);
            }

            return;
        }

        var relative = Relative(appDirectory, path);
        if (!Files.Contains(relative))
        {
            Files.Add(relative);
        }

        if (!dev)
        {
            HasProductionManifest = true;
        }

        var physical = File.ReadAllText(path).Replace("\r\n", "\n").Split('\n');
        for (var index = 0; index < physical.Length; index++)
        {
            var lineNumber = index + 1;
            var text = physical[index];
            while (text.EndsWith("\\", StringComparison.Ordinal) && index + 1 < physical.Length)
            {
                text = text.Substring(0, text.Length - 1) + " " + physical[++index];
            }

            var hash = FindComment(text);
            if (hash >= 0)
            {
                text = text.Substring(0, hash);
            }

            var start = 0;
            while (start < text.Length && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            if (start >= text.Length)
            {
                continue;
            }

            var body = text.Substring(start).TrimEnd();
            if (body[0] == '-')
            {
                ReadOption(appDirectory, path, relative, body, lineNumber, start + 1, dev, seen);
                continue;
            }

            AddSpecifier(relative, body, lineNumber, start + 1, dev);
        }
    }

    private static int FindComment(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '#' && (i == 0 || char.IsWhiteSpace(text[i - 1])))
            {
                return i;
            }
        }

        return -1;
    }

    private void ReadOption(string appDirectory, string path, string relative, string body, int line, int column, bool dev, Dictionary<string, bool> seen)
    {
        string option;
        string value;
        var eq = body.IndexOf('=');
        var space = body.IndexOfAny(new[] { ' ', '\t' });
        if (body.StartsWith("--", StringComparison.Ordinal))
        {
            var cut = eq > 0 && (space < 0 || eq < space) ? eq : space;
            option = cut < 0 ? body : body.Substring(0, cut);
            value = cut < 0 ? string.Empty : body.Substring(cut + 1).Trim();
        }
        else
        {
            option = body.Length >= 2 ? body.Substring(0, 2) : body;
            value = body.Substring(option.Length).Trim();
        }

        if (option == "-r" || option == "--requirement")
        {
            var include = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, value));
            var missing = FlyCodes.PythonIncludeNotFound.Create(
                $"'{body}' includes {value}, which does not exist: pip install -r {relative} will fail.",
                relative, line, column);
            ReadRequirementsFile(appDirectory, include, dev, seen, missing);
            return;
        }

        if (option == "-e" || option == "--editable")
        {
            var egg = value.IndexOf("#egg=", StringComparison.Ordinal);
            if (egg >= 0)
            {
                var name = value.Substring(egg + 5);
                var amp = name.IndexOf('&');
                AddSpecifier(relative, amp >= 0 ? name.Substring(0, amp) : name, line, column + body.IndexOf("#egg=", StringComparison.Ordinal) + 5, dev);
            }
        }

        // -c constraints install nothing; index and other options name no distribution.
    }

    private void AddSpecifier(string relative, string body, int line, int column, bool dev)
    {
        if (body.StartsWith(".", StringComparison.Ordinal) || body.StartsWith("/", StringComparison.Ordinal))
        {
            return; // a local path: the app's own package
        }

        if (body.IndexOf("://", StringComparison.Ordinal) >= 0 && !IsDirectReference(body))
        {
            var egg = body.IndexOf("#egg=", StringComparison.Ordinal);
            if (egg >= 0)
            {
                AddSpecifier(relative, body.Substring(egg + 5), line, column + egg + 5, dev);
            }

            return;
        }

        if (ParseSpecifier(body, out var name, out var extras))
        {
            Requirements.Add(new PyRequirement(name, extras, relative, line, column, dev));
        }
    }

    /// <summary><c>name[extras] @ https://...</c>: a PEP 508 direct reference, which names its distribution.</summary>
    private static bool IsDirectReference(string body)
    {
        var at = body.IndexOf('@');
        var scheme = body.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && at < scheme && body.Substring(0, at).Trim().IndexOf(':') < 0 && body.Substring(0, at).Trim().IndexOf('/') < 0;
    }

    /// <summary>The name and extras of a PEP 508 specifier: <c>psycopg[binary,pool] &gt;=3.1 ; python_version&gt;"3.8"</c>.</summary>
    internal static bool ParseSpecifier(string text, out string name, out string? extras)
    {
        var i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        var start = i;
        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '-' || text[i] == '_' || text[i] == '.'))
        {
            i++;
        }

        name = text.Substring(start, i - start);
        extras = null;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        if (i < text.Length && text[i] == '[')
        {
            var close = text.IndexOf(']', i);
            if (close > i)
            {
                extras = text.Substring(i + 1, close - i - 1).Replace(" ", string.Empty);
            }
        }

        return name.Length > 0 && char.IsLetterOrDigit(name[0]);
    }

    private void ReadPyproject(string appDirectory, string path)
    {
        var relative = Relative(appDirectory, path);
        TomlDocument document;
        try
        {
            document = TomlParser.ParseFile(path);
        }
        catch (TomlParseException e)
        {
            Diagnostics.Add(FlyCodes.PythonPyprojectInvalid.Create(
                $"pyproject.toml cannot be read ({e.Reason}); its dependencies were not checked.", relative, e.Line, e.Column));
            return;
        }

        Files.Add(relative);
        var root = document.Root;
        if (Table(root, "project") is { } project)
        {
            if (project.TryGetValue("dependencies", out var deps) && deps is TomlArray array)
            {
                AddPep508Array(relative, array, dev: false);
                HasProductionManifest = true;
            }

            if (Table(project, "optional-dependencies") is { } optional)
            {
                foreach (var group in optional.Entries)
                {
                    if (group.Value is TomlArray items)
                    {
                        AddPep508Array(relative, items, DevWords.Contains(group.Key));
                    }
                }
            }
        }

        if (Table(root, "dependency-groups") is { } groups)
        {
            foreach (var group in groups.Entries)
            {
                if (group.Value is TomlArray items)
                {
                    AddPep508Array(relative, items, dev: true);
                }
            }
        }

        var tool = Table(root, "tool");
        if (tool is null)
        {
            return;
        }

        if (Table(tool, "uv") is { } uv && uv.TryGetValue("dev-dependencies", out var uvDev) && uvDev is TomlArray uvItems)
        {
            AddPep508Array(relative, uvItems, dev: true);
        }

        if (Table(tool, "pdm") is { } pdm && Table(pdm, "dev-dependencies") is { } pdmDev)
        {
            foreach (var group in pdmDev.Entries)
            {
                if (group.Value is TomlArray items)
                {
                    AddPep508Array(relative, items, dev: true);
                }
            }
        }

        if (Table(tool, "poetry") is { } poetry)
        {
            if (Table(poetry, "dependencies") is { } main)
            {
                AddPoetryTable(relative, main, dev: false);
                HasProductionManifest = true;
            }

            if (Table(poetry, "dev-dependencies") is { } devDeps)
            {
                AddPoetryTable(relative, devDeps, dev: true);
            }

            if (Table(poetry, "group") is { } poetryGroups)
            {
                foreach (var group in poetryGroups.Entries)
                {
                    if (group.Value is TomlTable groupTable && Table(groupTable, "dependencies") is { } groupDeps)
                    {
                        AddPoetryTable(relative, groupDeps, dev: group.Key != "main");
                    }
                }
            }
        }
    }

    private static TomlTable? Table(TomlTable parent, string key) =>
        parent.TryGetValue(key, out var value) ? value as TomlTable : null;

    private void AddPep508Array(string relative, TomlArray array, bool dev)
    {
        foreach (var item in array)
        {
            if (item is TomlString s && ParseSpecifier(s.Value, out var name, out var extras))
            {
                Requirements.Add(new PyRequirement(name, extras, relative, s.Position.Line, s.Position.Column, dev));
            }
        }
    }

    private void AddPoetryTable(string relative, TomlTable table, bool dev)
    {
        foreach (var entry in table.Entries)
        {
            if (string.Equals(entry.Key, "python", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string? extras = null;
            if (entry.Value is TomlTable spec && spec.TryGetValue("extras", out var extraValue) && extraValue is TomlArray extraArray)
            {
                extras = string.Join(",", extraArray.OfType<TomlString>().Select(x => x.Value));
            }

            if (entry.Value is TomlTable pathSpec && (pathSpec.TryGetValue("path", out _) && !pathSpec.TryGetValue("git", out _)))
            {
                continue; // a local path dependency: the app's own code
            }

            Requirements.Add(new PyRequirement(entry.Key, extras, relative, entry.KeyPosition.Line, entry.KeyPosition.Column, dev));
        }
    }
}
