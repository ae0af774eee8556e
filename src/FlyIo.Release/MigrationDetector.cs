using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using FlyIo.AppModel.CSharp;

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

    /// <summary>Finds DbContexts and migrations in sources already read and lexed.</summary>
    public static EfCoreScan ScanEfCore(CSharpSources sources)
    {
        var scan = new EfCoreScan();
        foreach (var file in sources.Files)
        {
            var code = CodeOnly(file);
            foreach (Match m in DbContextClass.Matches(code))
            {
                scan.DbContexts.Add(m.Groups["name"].Value);
                if (scan.DbContextFile is null)
                {
                    scan.DbContextFile = file.Path;
                    scan.DbContextLine = file.Locate(m.Index).Line;
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

    /// <summary>
    /// The code of a C# file as the AppModel lexer reads it, at its original offsets (newlines kept so lines stay):
    /// comments, string and char literals become spaces, so text inside them (raw strings included) never looks like a
    /// declaration. The one string kept is a [Migration("id")] argument, which names the migration.
    /// </summary>
    internal static string CodeOnly(CSharpSourceFile file)
    {
        var code = file.Text;
        var view = new char[code.Length];
        for (var i = 0; i < code.Length; i++)
        {
            view[i] = code[i] == '\n' ? '\n' : ' ';
        }

        var tokens = file.Tokens;
        for (var t = 0; t < tokens.Length; t++)
        {
            var token = tokens[t];
            var keep = token.Kind is CSharpTokenKind.Identifier or CSharpTokenKind.Punctuation ? token.Value
                : token.Kind == CSharpTokenKind.String && IsMigrationId(tokens, t) ? "\"" + token.Value + "\""
                : "";

            // A token's value is never longer than its source text (an unterminated literal at the end may be cut).
            keep.CopyTo(0, view, token.Offset, Math.Min(keep.Length, code.Length - token.Offset));
        }

        return new string(view);
    }

    private static bool IsMigrationId(CSharpToken[] tokens, int t) =>
        t >= 2 && tokens[t - 1].Is("(") && (tokens[t - 2].IsIdentifier("Migration") || tokens[t - 2].IsIdentifier("MigrationAttribute"));
}
