using FlyIo.AppModel.CSharp;
using System;
using System.Collections.Generic;
using System.Linq;

namespace FlyIo.Dependencies.CSharp;

/// <summary>
/// Finds, in C# sources and without Roslyn, what an app reads from configuration and the environment, the calls that
/// need OS support (time zones, System.Drawing, SqlClient) and DATABASE_URL handed unconverted to Npgsql.
/// Patterns are matched on tokens, so text in comments and string literals never matches.
/// </summary>
public static class CSharpSourceScanner
{
    private static readonly HashSet<string> SectionMethods = new(StringComparer.Ordinal) { "GetSection", "GetRequiredSection" };

    private static readonly HashSet<string> NullCheckMethods = new(StringComparer.Ordinal)
    {
        "IsNullOrEmpty", "IsNullOrWhiteSpace",
    };

    private static readonly HashSet<string> TimeZoneMethods = new(StringComparer.Ordinal)
    {
        "FindSystemTimeZoneById", "TryFindSystemTimeZoneById", "ConvertTimeBySystemTimeZoneId",
    };

    private static readonly HashSet<string> DrawingTypes = new(StringComparer.Ordinal)
    {
        "Bitmap", "Graphics", "Metafile", "PrivateFontCollection",
    };

    /// <summary>Scans every file's tokens (in parallel when there are many).</summary>
    public static SourceScanResult Scan(CSharpSources sources)
    {
        var files = sources.Files;
        var results = files.Count >= 64 ? files.AsParallel().AsOrdered().Select(ScanOne).ToList() : files.Select(ScanOne).ToList();
        return new SourceScanResult(
            results.SelectMany(r => r.Reads).ToList(),
            results.SelectMany(r => r.TimeZone).ToList(),
            results.SelectMany(r => r.Drawing).ToList(),
            results.SelectMany(r => r.Sql).ToList(),
            results.SelectMany(r => r.Misuses).ToList());
    }

    /// <summary>Whether the app looks up time zones by id (the image then needs tzdata), without the rest of the scan.</summary>
    public static bool LooksUpTimeZones(CSharpSources sources) =>
        sources.Files.Any(file => Enumerable.Range(0, file.Tokens.Length).Any(i => IsTimeZoneLookup(file.Tokens, i)));

    private static bool IsTimeZoneLookup(CSharpToken[] tokens, int i) =>
        tokens[i].Kind == CSharpTokenKind.Identifier && TimeZoneMethods.Contains(tokens[i].Value) && i + 1 < tokens.Length && tokens[i + 1].Is("(");

    private sealed class FileResult
    {
        public List<ConfigRead> Reads { get; } = new();

        public List<SourceUse> TimeZone { get; } = new();

        public List<SourceUse> Drawing { get; } = new();

        public List<SourceUse> Sql { get; } = new();

        public List<DatabaseUrlMisuse> Misuses { get; } = new();
    }

    /// <summary>A read with the token range of its expression.</summary>
    private readonly struct ReadSpan
    {
        public ReadSpan(ConfigRead read, int start, int end)
        {
            Read = read;
            Start = start;
            End = end;
        }

        public ConfigRead Read { get; }

        public int Start { get; }

        public int End { get; }
    }

    private static FileResult ScanOne(CSharpSourceFile file)
    {
        var scan = new FileScan(file);
        scan.Run();
        return scan.Result;
    }

    private sealed class FileScan
    {
        private readonly CSharpSourceFile _file;
        private readonly CSharpToken[] _t;
        private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _sectionVariables = new(StringComparer.Ordinal);
        private readonly HashSet<string> _nullChecked = new(StringComparer.Ordinal);
        private readonly List<ReadSpan> _spans = new();

        public FileScan(CSharpSourceFile file)
        {
            _file = file;
            _t = file.Tokens;
        }

        public FileResult Result { get; } = new();

        public void Run()
        {
            // Pass 1: string constants, variables that hold a section, and identifiers tested for null.
            for (var i = 0; i < _t.Length; i++)
            {
                var tok = _t[i];
                if (tok.Kind != CSharpTokenKind.Identifier)
                {
                    continue;
                }

                if (tok.Value == "const" && i + 4 < _t.Length && _t[i + 1].IsIdentifier("string") &&
                    _t[i + 2].Kind == CSharpTokenKind.Identifier && _t[i + 3].Is("=") && _t[i + 4].Kind == CSharpTokenKind.String)
                {
                    _constants[_t[i + 2].Value] = _t[i + 4].Value;
                }

                if (i + 2 < _t.Length && _t[i + 1].Is("="))
                {
                    var prefix = SectionPrefixOfExpression(i + 2);
                    if (prefix is not null)
                    {
                        _sectionVariables[tok.Value] = prefix;
                    }
                }

                if (IsNullTestAfter(i + 1) || (i >= 2 && _t[i - 1].Is("(") && _t[i - 2].Kind == CSharpTokenKind.Identifier && NullCheckMethods.Contains(_t[i - 2].Value)))
                {
                    _nullChecked.Add(tok.Value);
                }
            }

            // Pass 2: reads and uses.
            for (var i = 0; i < _t.Length; i++)
            {
                var tok = _t[i];
                if (tok.Kind == CSharpTokenKind.Identifier)
                {
                    MatchIdentifier(i, tok);
                }
                else if (tok.Is("[") && i > 0)
                {
                    MatchIndexer(i);
                }
            }

            FindDatabaseUrlMisuses();
        }

        private void MatchIdentifier(int i, CSharpToken tok)
        {
            switch (tok.Value)
            {
                case "GetEnvironmentVariable":
                    if (Next(i, "(") && KeyAt(i + 2, out var env) && (Next(i + 2, ")") || Next(i + 2, ",")))
                    {
                        var close = MatchingClose(i + 1);
                        var start = ExpressionStart(i);
                        AddRead(ConfigReadKind.EnvironmentVariable, env, start, close, hasFallbackArgument: false);
                    }

                    break;
                case "GetValue":
                    MatchGetValue(i);
                    break;
                case "GetConnectionString":
                    if (Next(i, "(") && KeyAt(i + 2, out var name) && Next(i + 2, ")"))
                    {
                        AddRead(ConfigReadKind.ConnectionString, "ConnectionStrings:" + name, ExpressionStart(i), i + 3, false);
                    }

                    break;
                case "GetSection":
                case "GetRequiredSection":
                    MatchSection(i, tok.Value == "GetRequiredSection");
                    break;
                default:
                    if (IsTimeZoneLookup(_t, i))
                    {
                        Result.TimeZone.Add(new SourceUse(Locate(i), tok.Value));
                    }
                    else if (tok.Value == "System" && Next(i, ".") && i + 2 < _t.Length && _t[i + 2].IsIdentifier("Drawing") &&
                             (i + 3 >= _t.Length || !_t[i + 3].Is(".") || i + 4 >= _t.Length || !_t[i + 4].IsIdentifier("Primitives")))
                    {
                        Result.Drawing.Add(new SourceUse(Locate(i), "System.Drawing"));
                    }
                    else if (DrawingTypes.Contains(tok.Value) && i > 0 && _t[i - 1].IsIdentifier("new"))
                    {
                        Result.Drawing.Add(new SourceUse(Locate(i), tok.Value));
                    }
                    else if ((tok.Value == "SqlConnection" || tok.Value == "UseSqlServer" || tok.Value == "AddSqlServer") &&
                             (Next(i, "(") || (i > 0 && _t[i - 1].IsIdentifier("new"))))
                    {
                        Result.Sql.Add(new SourceUse(Locate(i), tok.Value));
                    }

                    break;
            }
        }

        private void MatchGetValue(int i)
        {
            // Receiver: a configuration-like name, a section chain or a variable that holds a section.
            if (i < 2 || !_t[i - 1].Is("."))
            {
                return;
            }

            var prefix = ReceiverPrefix(i - 1);
            if (prefix is null)
            {
                return;
            }

            var open = i + 1;
            if (open < _t.Length && _t[open].Is("<"))
            {
                open = SkipTypeArguments(open);
            }

            if (open >= _t.Length || !_t[open].Is("("))
            {
                return;
            }

            var close = MatchingClose(open);
            var args = SplitArguments(open, close);
            int keyArg;
            if (args.Count >= 1 && _t[open + 1].IsIdentifier("typeof"))
            {
                keyArg = 1;
            }
            else
            {
                keyArg = 0;
            }

            if (args.Count <= keyArg || !KeyAt(args[keyArg].Start, out var key) || args[keyArg].End != args[keyArg].Start)
            {
                return;
            }

            AddRead(ConfigReadKind.GetValue, prefix + key, ExpressionStart(i), close, hasFallbackArgument: args.Count > keyArg + 1);
        }

        private void MatchSection(int i, bool required)
        {
            if (!Next(i, "(") || !KeyAt(i + 2, out var key) || !Next(i + 2, ")"))
            {
                return;
            }

            var close = i + 3;
            var prefix = i >= 2 && _t[i - 1].Is(".") ? ReceiverPrefix(i - 1) : string.Empty;
            if (prefix is null)
            {
                return;
            }

            var full = prefix + key;
            if (close + 2 < _t.Length && _t[close + 1].Is("."))
            {
                var member = _t[close + 2];
                if (member.IsIdentifier("Value"))
                {
                    AddRead(ConfigReadKind.SectionValue, full, ExpressionStart(i), close + 2, false);
                    return;
                }

                if (member.IsIdentifier("Get") && close + 3 < _t.Length && _t[close + 3].Is("<"))
                {
                    var open = SkipTypeArguments(close + 3);
                    if (open < _t.Length && _t[open].Is("(") && open + 1 < _t.Length && _t[open + 1].Is(")"))
                    {
                        AddRead(ConfigReadKind.Section, full, ExpressionStart(i), open + 1, false);
                        return;
                    }
                }

                // .GetSection / .GetValue / .Bind / .GetChildren chains are handled where they end, or are not reads.
                return;
            }

            if (required && (close + 1 >= _t.Length || !_t[close + 1].Is("[")))
            {
                AddRead(ConfigReadKind.Section, full, ExpressionStart(i), close, false);
            }
        }

        private void MatchIndexer(int i)
        {
            if (!KeyAt(i + 1, out var key) || !Next(i + 1, "]"))
            {
                return;
            }

            var close = i + 2;

            // A write (config["X"] = ...) is not a read.
            if (close + 1 < _t.Length && _t[close + 1].Is("="))
            {
                return;
            }

            var prefix = ReceiverPrefix(i);
            if (prefix is null)
            {
                return;
            }

            AddRead(ConfigReadKind.Indexer, prefix + key, ExpressionStart(i - 1), close, false);
        }

        /// <summary>
        /// For the token before a member access or indexer (at <paramref name="at"/> is the '.' or '['): "" when the
        /// receiver is configuration, "A:" when it is a section of A, null when it is something else.
        /// </summary>
        private string? ReceiverPrefix(int at)
        {
            if (at < 1)
            {
                return null;
            }

            var r = _t[at - 1];
            if (r.Kind == CSharpTokenKind.Identifier)
            {
                if (IsConfigurationName(r.Value))
                {
                    return string.Empty;
                }

                if (_sectionVariables.TryGetValue(r.Value, out var sectionPrefix) && !(at >= 2 && _t[at - 2].Is(".")))
                {
                    return sectionPrefix;
                }

                return null;
            }

            if (r.Is(")"))
            {
                // GetSection("A") or GetRequiredSection("A") call as the receiver.
                if (at >= 5 && _t[at - 2].Kind == CSharpTokenKind.String && _t[at - 3].Is("(") &&
                    _t[at - 4].Kind == CSharpTokenKind.Identifier && SectionMethods.Contains(_t[at - 4].Value))
                {
                    var outer = at >= 6 && _t[at - 5].Is(".") ? ReceiverPrefix(at - 5) : string.Empty;
                    return outer is null ? null : outer + _t[at - 2].Value + ":";
                }
            }

            if (r.Is("!") && at >= 2)
            {
                return ReceiverPrefix(at - 1);
            }

            return null;
        }

        /// <summary>When the expression at <paramref name="start"/> is <c>x.GetSection("A")</c> (ending in ';'), its "A:".</summary>
        private string? SectionPrefixOfExpression(int start)
        {
            var end = start;
            while (end < _t.Length && !_t[end].Is(";") && end - start < 24)
            {
                end++;
            }

            if (end >= _t.Length || !_t[end].Is(";") || end - start < 4)
            {
                return null;
            }

            // ... GetSection ( "A" ) ;
            if (_t[end - 1].Is(")") && _t[end - 2].Kind == CSharpTokenKind.String && _t[end - 3].Is("(") &&
                _t[end - 4].Kind == CSharpTokenKind.Identifier && SectionMethods.Contains(_t[end - 4].Value))
            {
                var outer = end - 5 >= start && _t[end - 5].Is(".") ? ReceiverPrefix(end - 5) : string.Empty;
                return outer is null ? null : outer + _t[end - 2].Value + ":";
            }

            return null;
        }

        private static bool IsConfigurationName(string name)
        {
            var n = name.TrimStart('_');
            if (n.Length == 0)
            {
                return false;
            }

            if (string.Equals(n, "cfg", StringComparison.OrdinalIgnoreCase) || string.Equals(n, "conf", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            return n.EndsWith("Configuration", StringComparison.OrdinalIgnoreCase) || n.EndsWith("Config", StringComparison.OrdinalIgnoreCase);
        }

        private void AddRead(ConfigReadKind kind, string key, int start, int end, bool hasFallbackArgument)
        {
            var fallback = hasFallbackArgument || HasFallbackAround(start, end);
            var read = new ConfigRead(Locate(start), kind, key, fallback);
            Result.Reads.Add(read);
            _spans.Add(new ReadSpan(read, start, end));
        }

        /// <summary>Whether the read at [start, end] is used in a way that tolerates a missing value.</summary>
        private bool HasFallbackAround(int start, int end)
        {
            var next = end + 1;
            while (next < _t.Length && _t[next].Is("!"))
            {
                next++;
            }

            if (next < _t.Length)
            {
                var n = _t[next];
                if (n.Is("??"))
                {
                    return !(next + 1 < _t.Length && _t[next + 1].IsIdentifier("throw"));
                }

                if (n.Is("?.") || n.Is("==") || n.Is("!=") || n.IsIdentifier("is"))
                {
                    return true;
                }
            }

            if (start >= 2 && _t[start - 1].Is("(") && _t[start - 2].Kind == CSharpTokenKind.Identifier && NullCheckMethods.Contains(_t[start - 2].Value))
            {
                return true;
            }

            // var x = <read>; ... later x is tested for null (IsNullOrEmpty(x), x is null, x ?? ...).
            if (start >= 2 && _t[start - 1].Is("=") && _t[start - 2].Kind == CSharpTokenKind.Identifier && next < _t.Length && _t[next].Is(";"))
            {
                return _nullChecked.Contains(_t[start - 2].Value);
            }

            return false;
        }

        private bool IsNullTestAfter(int i)
        {
            if (i >= _t.Length)
            {
                return false;
            }

            var n = _t[i];
            if (n.Is("??") || n.Is("?."))
            {
                return true;
            }

            if ((n.Is("==") || n.Is("!=")) && i + 1 < _t.Length && _t[i + 1].IsIdentifier("null"))
            {
                return true;
            }

            if (n.IsIdentifier("is") && i + 1 < _t.Length)
            {
                var m = _t[i + 1];
                return m.IsIdentifier("null") || m.IsIdentifier("not") || m.Is("{");
            }

            return false;
        }

        /// <summary>The first token of a member-access chain ending at <paramref name="i"/> (e.g. Environment.GetEnvironmentVariable).</summary>
        private int ExpressionStart(int i)
        {
            var s = i;
            while (s >= 2 && _t[s - 1].Is(".") && _t[s - 2].Kind == CSharpTokenKind.Identifier)
            {
                s -= 2;
            }

            return s;
        }

        private bool Next(int i, string punctuation) => i + 1 < _t.Length && _t[i + 1].Is(punctuation);

        /// <summary>A string literal, or the name of a string constant declared in this file.</summary>
        private bool KeyAt(int i, out string key)
        {
            key = string.Empty;
            if (i >= _t.Length)
            {
                return false;
            }

            var tok = _t[i];
            if (tok.Kind == CSharpTokenKind.String)
            {
                key = tok.Value;
                return key.Length > 0;
            }

            if (tok.Kind == CSharpTokenKind.Identifier && _constants.TryGetValue(tok.Value, out var value))
            {
                key = value;
                return key.Length > 0;
            }

            return false;
        }

        private int SkipTypeArguments(int lt)
        {
            var depth = 0;
            for (var j = lt; j < _t.Length && j - lt < 64; j++)
            {
                if (_t[j].Is("<"))
                {
                    depth++;
                }
                else if (_t[j].Is(">"))
                {
                    depth--;
                    if (depth == 0)
                    {
                        return j + 1;
                    }
                }
                else if (_t[j].Is(";") || _t[j].Is("("))
                {
                    return _t.Length;
                }
            }

            return _t.Length;
        }

        private int MatchingClose(int open)
        {
            var depth = 0;
            for (var j = open; j < _t.Length; j++)
            {
                var tok = _t[j];
                if (tok.Kind != CSharpTokenKind.Punctuation)
                {
                    continue;
                }

                if (tok.Value == "(" || tok.Value == "[" || tok.Value == "{")
                {
                    depth++;
                }
                else if (tok.Value == ")" || tok.Value == "]" || tok.Value == "}")
                {
                    depth--;
                    if (depth == 0)
                    {
                        return j;
                    }
                }
            }

            return _t.Length - 1;
        }

        private readonly struct Range
        {
            public Range(int start, int end)
            {
                Start = start;
                End = end;
            }

            public int Start { get; }

            public int End { get; }
        }

        /// <summary>The top-level arguments between <paramref name="open"/> and <paramref name="close"/>, as token ranges.</summary>
        private List<Range> SplitArguments(int open, int close)
        {
            var args = new List<Range>();
            if (close <= open + 1)
            {
                return args;
            }

            var depth = 0;
            var start = open + 1;
            for (var j = open + 1; j < close; j++)
            {
                var tok = _t[j];
                if (tok.Kind == CSharpTokenKind.InterpolatedStart)
                {
                    depth++;
                }
                else if (tok.Kind == CSharpTokenKind.InterpolatedEnd)
                {
                    depth--;
                }
                else if (tok.Kind == CSharpTokenKind.Punctuation)
                {
                    if (tok.Value == "(" || tok.Value == "[" || tok.Value == "{")
                    {
                        depth++;
                    }
                    else if (tok.Value == ")" || tok.Value == "]" || tok.Value == "}")
                    {
                        depth--;
                    }
                    else if (tok.Value == "," && depth == 0)
                    {
                        args.Add(new Range(start, j - 1));
                        start = j + 1;
                    }
                }
            }

            args.Add(new Range(start, close - 1));
            return args;
        }

        // DATABASE_URL handed to Npgsql --------------------------------------------------------------------------------

        private static bool IsDatabaseUrlKey(string key) =>
            string.Equals(key, "DATABASE_URL", StringComparison.OrdinalIgnoreCase) ||
            string.Equals(key, "DIRECT_DATABASE_URL", StringComparison.OrdinalIgnoreCase) ||
            string.Equals(key, "DATABASE_URL_DIRECT", StringComparison.OrdinalIgnoreCase);

        private void FindDatabaseUrlMisuses()
        {
            var urlSpans = _spans.Where(s => IsDatabaseUrlKey(s.Read.Key) && s.Read.Kind != ConfigReadKind.ConnectionString).ToList();
            if (urlSpans.Count == 0)
            {
                return;
            }

            // Variables that hold the raw URL: x = <read> [!] [?? ...] ;
            var tainted = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var span in urlSpans)
            {
                if (span.Start >= 2 && _t[span.Start - 1].Is("=") && _t[span.Start - 2].Kind == CSharpTokenKind.Identifier &&
                    EndsPlainly(span.End + 1))
                {
                    tainted[_t[span.Start - 2].Value] = span.Read.Key;
                }
            }

            for (var i = 0; i < _t.Length; i++)
            {
                var sink = SinkAt(i, out var open);
                if (sink is null)
                {
                    continue;
                }

                var close = MatchingClose(open);
                var args = SplitArguments(open, close);
                if (args.Count == 0)
                {
                    continue;
                }

                var first = args[0];
                var s = first.Start;

                // Named argument: connectionString: url
                if (first.End >= s + 2 && _t[s].Kind == CSharpTokenKind.Identifier && _t[s + 1].Is(":") && !_t[s + 1].Is("::"))
                {
                    s += 2;
                }

                string? source = null;
                var e = first.End;
                while (e > s && _t[e].Is("!"))
                {
                    e--;
                }

                if (s == e && _t[s].Kind == CSharpTokenKind.Identifier && tainted.TryGetValue(_t[s].Value, out var viaVariable))
                {
                    source = _t[s].Value + " (" + viaVariable + ")";
                }
                else
                {
                    foreach (var span in urlSpans)
                    {
                        if (span.Start == s && (span.End == e || EndsPlainlyWithin(span.End + 1, first.End)))
                        {
                            source = span.Read.Key;
                            break;
                        }
                    }
                }

                if (source is not null)
                {
                    Result.Misuses.Add(new DatabaseUrlMisuse(Locate(SinkStart(i)), sink, source));
                }
            }
        }

        /// <summary>After a read: only '!' and a '??' fallback up to ';' (no conversion call wraps it).</summary>
        private bool EndsPlainly(int j)
        {
            while (j < _t.Length && _t[j].Is("!"))
            {
                j++;
            }

            return j < _t.Length && (_t[j].Is(";") || _t[j].Is("??"));
        }

        private bool EndsPlainlyWithin(int j, int last)
        {
            while (j <= last && _t[j].Is("!"))
            {
                j++;
            }

            return j > last || _t[j].Is("??");
        }

        /// <summary>An Npgsql API that takes a connection string, at token <paramref name="i"/>; its '(' in <paramref name="open"/>.</summary>
        private string? SinkAt(int i, out int open)
        {
            open = -1;
            var tok = _t[i];
            if (tok.Kind != CSharpTokenKind.Identifier)
            {
                return null;
            }

            switch (tok.Value)
            {
                case "UseNpgsql":
                case "AddNpgsqlDataSource":
                    if (Next(i, "("))
                    {
                        open = i + 1;
                        return tok.Value;
                    }

                    break;
                case "NpgsqlConnection":
                case "NpgsqlDataSourceBuilder":
                case "NpgsqlConnectionStringBuilder":
                case "NpgsqlSlimDataSourceBuilder":
                    if (i > 0 && _t[i - 1].IsIdentifier("new") && Next(i, "("))
                    {
                        open = i + 1;
                        return "new " + tok.Value;
                    }

                    break;
                case "Create":
                    if (i >= 2 && _t[i - 1].Is(".") && _t[i - 2].IsIdentifier("NpgsqlDataSource") && Next(i, "("))
                    {
                        open = i + 1;
                        return "NpgsqlDataSource.Create";
                    }

                    break;
            }

            return null;
        }

        private int SinkStart(int i)
        {
            if (i > 0 && _t[i - 1].IsIdentifier("new"))
            {
                return i - 1;
            }

            return ExpressionStart(i);
        }

        // Locations ---------------------------------------------------------------------------------------------------

        private SourceLocation Locate(int tokenIndex)
        {
            var (line, column) = _file.Locate(_t[tokenIndex].Offset);
            return new SourceLocation(_file.Path, line, column);
        }
    }
}
