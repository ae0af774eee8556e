using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace FlyIo.Release;

/// <summary>What a lexical scan of a .NET project found about EF Core.</summary>
public sealed class EfCoreScan
{
    public List<string> DbContexts { get; } = new();

    public List<string> Migrations { get; } = new();

    /// <summary>First file (and 1-based line) that declares a DbContext.</summary>
    public string? DbContextFile { get; set; }

    public int DbContextLine { get; set; }

    public bool HasMigrations => Migrations.Count > 0;
}

/// <summary>Finds EF Core DbContexts and migrations in C# sources, and Alembic, Django or Prisma in a standalone app folder.</summary>
public static class MigrationDetector
{
    private static readonly Regex DbContextClass = new(
        @"\bclass\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*(<[^>{]*>)?\s*(\([^)]*\))?\s*:\s*(global::)?([A-Za-z_][A-Za-z0-9_]*\.)*(?<base>DbContext|Identity[A-Za-z]*Context|ApiAuthorizationDbContext)\b",
        RegexOptions.CultureInvariant);

    private static readonly Regex MigrationAttribute = new(
        @"\[\s*(global::)?(Microsoft\.EntityFrameworkCore\.Migrations\.)?Migration(Attribute)?\s*\(\s*""(?<id>[^""]+)""",
        RegexOptions.CultureInvariant);

    private static readonly Regex MigrationClass = new(
        @"\bclass\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(global::)?(Microsoft\.EntityFrameworkCore\.Migrations\.)?Migration\b(?!\s*[.<])",
        RegexOptions.CultureInvariant);

    /// <summary>Scans .cs files (bin/ and obj/ excluded when a folder is given).</summary>
    public static EfCoreScan ScanEfCore(IEnumerable<string> sourceFiles)
    {
        var scan = new EfCoreScan();
        foreach (var file in sourceFiles)
        {
            if (!File.Exists(file))
            {
                continue;
            }

            var code = BlankCommentsAndStrings(File.ReadAllText(file), keepStrings: true);
            foreach (Match m in DbContextClass.Matches(code))
            {
                scan.DbContexts.Add(m.Groups["name"].Value);
                if (scan.DbContextFile is null)
                {
                    scan.DbContextFile = file;
                    scan.DbContextLine = LineOf(code, m.Index);
                }
            }

            foreach (Match m in MigrationAttribute.Matches(code))
            {
                scan.Migrations.Add(m.Groups["id"].Value);
            }

            foreach (Match m in MigrationClass.Matches(code))
            {
                if (!scan.Migrations.Contains(m.Groups["name"].Value) && !ContainsSuffix(scan.Migrations, m.Groups["name"].Value))
                {
                    scan.Migrations.Add(m.Groups["name"].Value);
                }
            }
        }

        return scan;
    }

    public static IEnumerable<string> CSharpFiles(string projectDirectory)
    {
        var result = new List<string>();
        if (!Directory.Exists(projectDirectory))
        {
            return result;
        }

        foreach (var file in Directory.GetFiles(projectDirectory, "*.cs", SearchOption.AllDirectories))
        {
            var relative = file.Substring(projectDirectory.Length).Replace('\\', '/');
            if (relative.IndexOf("/bin/", StringComparison.Ordinal) >= 0 || relative.IndexOf("/obj/", StringComparison.Ordinal) >= 0)
            {
                continue;
            }

            result.Add(file);
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    /// <summary>Standalone tools found in an app folder: alembic, django, prisma (in that order).</summary>
    public static List<string> ScanStandalone(string folder)
    {
        var tools = new List<string>();
        if (File.Exists(Path.Combine(folder, "alembic.ini")) || File.Exists(Path.Combine(folder, "alembic", "env.py")))
        {
            tools.Add("alembic");
        }

        if (File.Exists(Path.Combine(folder, "manage.py")))
        {
            tools.Add("django");
        }

        if (File.Exists(Path.Combine(folder, "prisma", "schema.prisma")))
        {
            tools.Add("prisma");
        }

        return tools;
    }

    private static bool ContainsSuffix(List<string> ids, string name)
    {
        foreach (var id in ids)
        {
            if (id.EndsWith("_" + name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static int LineOf(string text, int index)
    {
        var line = 1;
        for (var i = 0; i < index && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    /// <summary>Replaces comments (and, unless kept, string contents) by spaces, keeping newlines so offsets and lines stay.</summary>
    internal static string BlankCommentsAndStrings(string code, bool keepStrings)
    {
        var sb = new StringBuilder(code);
        var i = 0;
        while (i < code.Length)
        {
            var c = code[i];
            if (c == '/' && i + 1 < code.Length && code[i + 1] == '/')
            {
                while (i < code.Length && code[i] != '\n')
                {
                    sb[i++] = ' ';
                }
            }
            else if (c == '/' && i + 1 < code.Length && code[i + 1] == '*')
            {
                var end = code.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? code.Length : end + 2;
                for (; i < end; i++)
                {
                    if (code[i] != '\n')
                    {
                        sb[i] = ' ';
                    }
                }
            }
            else if (c == '"' || c == '\'')
            {
                var verbatim = i > 0 && code[i - 1] == '@';
                var j = i + 1;
                while (j < code.Length)
                {
                    if (!verbatim && code[j] == '\\')
                    {
                        j += 2;
                        continue;
                    }

                    if (code[j] == c)
                    {
                        if (verbatim && j + 1 < code.Length && code[j + 1] == c)
                        {
                            j += 2;
                            continue;
                        }

                        break;
                    }

                    if (!verbatim && code[j] == '\n')
                    {
                        break;
                    }

                    j++;
                }

                if (!keepStrings)
                {
                    for (var k = i + 1; k < j && k < code.Length; k++)
                    {
                        if (code[k] != '\n')
                        {
                            sb[k] = ' ';
                        }
                    }
                }

                i = j + 1;
            }
            else
            {
                i++;
            }
        }

        return sb.ToString();
    }
}
