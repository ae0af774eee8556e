using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using FlyIo.Toml;

namespace FlyIo.Launch.Standalone;

/// <summary>
/// The distribution names a Python app declares at its top level: requirements*.txt lines, pyproject.toml
/// (<c>[project] dependencies</c>, <c>[tool.poetry.dependencies]</c>) and Pipfile <c>[packages]</c>. Only names are
/// needed here (is fastapi declared?), so versions, markers and options are not read.
/// </summary>
internal static class PythonDeclaredPackages
{
    private static readonly Regex RequirementName = new(@"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", RegexOptions.CultureInvariant);

    /// <summary>Declared names, lower-cased with '_' and '.' as '-' (PEP 503), in the order read.</summary>
    public static List<string> Read(string folder)
    {
        var names = new List<string>();
        foreach (var file in AppFiles.TopLevel(folder, "*requirements*.txt"))
        {
            foreach (var line in (AppFiles.TryRead(file) ?? string.Empty).Split('\n'))
            {
                var match = RequirementName.Match(line);
                if (match.Success && !line.TrimStart().StartsWith("-", StringComparison.Ordinal))
                {
                    names.Add(Normalize(match.Groups[1].Value));
                }
            }
        }

        if (ParseToml(Path.Combine(folder, "pyproject.toml")) is { } pyproject)
        {
            if (Table(pyproject, "project") is { } project && project.TryGetValue("dependencies", out var list) && list is TomlArray array)
            {
                foreach (var item in array)
                {
                    if (item is TomlString text && RequirementName.Match(text.Value) is { Success: true } match)
                    {
                        names.Add(Normalize(match.Groups[1].Value));
                    }
                }
            }

            AddKeys(Table(Table(Table(pyproject, "tool"), "poetry"), "dependencies"), names);
        }

        AddKeys(Table(ParseToml(Path.Combine(folder, "Pipfile")), "packages"), names);
        return names;
    }

    private static string Normalize(string name) => Regex.Replace(name, @"[-_.]+", "-").ToLowerInvariant();

    private static void AddKeys(TomlTable? table, List<string> names)
    {
        if (table is null)
        {
            return;
        }

        foreach (var entry in table.Entries)
        {
            names.Add(Normalize(entry.Key));
        }
    }

    private static TomlTable? Table(TomlTable? parent, string key) =>
        parent is not null && parent.TryGetValue(key, out var value) ? value as TomlTable : null;

    /// <summary>The file's root table, or null when it is missing or not valid TOML (then it declares nothing we can read).</summary>
    private static TomlTable? ParseToml(string path)
    {
        if (AppFiles.TryRead(path) is not { } text)
        {
            return null;
        }

        try
        {
            return TomlParser.Parse(text).Root;
        }
        catch (TomlParseException)
        {
            return null;
        }
    }
}
