using System.Collections.Generic;

namespace FlyIo.Dependencies.CSharp;

/// <summary>How a configuration value or environment variable is read.</summary>
public enum ConfigReadKind
{
    /// <summary><c>Environment.GetEnvironmentVariable("X")</c>: the key is the variable name, case-sensitive.</summary>
    EnvironmentVariable,

    /// <summary><c>configuration["A:B"]</c>.</summary>
    Indexer,

    /// <summary><c>GetValue&lt;T&gt;("A:B")</c>.</summary>
    GetValue,

    /// <summary><c>GetSection("A").Value</c> / <c>.Get&lt;T&gt;()</c> / <c>GetRequiredSection("A")</c>: any key under A provides it, except for .Value.</summary>
    Section,

    /// <summary><c>GetSection("A").Value</c>: the exact key.</summary>
    SectionValue,

    /// <summary><c>GetConnectionString("Db")</c>: the key ConnectionStrings:Db.</summary>
    ConnectionString,
}

/// <summary>A position in a source file (1-based line and column).</summary>
public readonly struct SourceLocation
{
    public SourceLocation(string file, int line, int column)
    {
        File = file;
        Line = line;
        Column = column;
    }

    public string File { get; }

    public int Line { get; }

    public int Column { get; }

    public override string ToString() => $"{File}({Line},{Column})";
}

/// <summary>One read of configuration or of an environment variable.</summary>
public sealed record ConfigRead(SourceLocation Location, ConfigReadKind Kind, string Key, bool HasFallback)
{
    /// <summary>The environment variable that provides the value: <c>A:B</c> becomes <c>A__B</c>.</summary>
    public string EnvironmentName => Kind == ConfigReadKind.EnvironmentVariable ? Key : Key.Replace(":", "__");

    /// <summary>True for configuration keys (case-insensitive, ':'-separated); false for raw environment variables.</summary>
    public bool IsConfiguration => Kind != ConfigReadKind.EnvironmentVariable;

    public bool IsRequired => !HasFallback;
}

/// <summary>A call the rules care about, e.g. <c>TimeZoneInfo.FindSystemTimeZoneById</c>.</summary>
public sealed record SourceUse(SourceLocation Location, string What);

/// <summary>DATABASE_URL (a postgres:// URI) handed unconverted to an Npgsql API that wants a connection string.</summary>
public sealed record DatabaseUrlMisuse(SourceLocation Location, string Sink, string Source);

/// <summary>Everything the lexical scan of a set of C# files found.</summary>
public sealed class SourceScanResult
{
    public SourceScanResult(
        IReadOnlyList<ConfigRead> reads,
        IReadOnlyList<SourceUse> timeZoneLookups,
        IReadOnlyList<SourceUse> drawingUses,
        IReadOnlyList<SourceUse> sqlClientUses,
        IReadOnlyList<DatabaseUrlMisuse> databaseUrlMisuses)
    {
        Reads = reads;
        TimeZoneLookups = timeZoneLookups;
        DrawingUses = drawingUses;
        SqlClientUses = sqlClientUses;
        DatabaseUrlMisuses = databaseUrlMisuses;
    }

    public IReadOnlyList<ConfigRead> Reads { get; }

    /// <summary>FindSystemTimeZoneById / TryFindSystemTimeZoneById / ConvertTimeBySystemTimeZoneId calls.</summary>
    public IReadOnlyList<SourceUse> TimeZoneLookups { get; }

    /// <summary><c>using System.Drawing</c> and System.Drawing.Common types (Bitmap, Graphics, Image, Font).</summary>
    public IReadOnlyList<SourceUse> DrawingUses { get; }

    /// <summary>SqlConnection / UseSqlServer uses.</summary>
    public IReadOnlyList<SourceUse> SqlClientUses { get; }

    public IReadOnlyList<DatabaseUrlMisuse> DatabaseUrlMisuses { get; }
}
