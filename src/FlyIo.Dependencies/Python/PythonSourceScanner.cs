using System;
using System.Collections.Generic;

namespace FlyIo.Dependencies.Python;

internal enum PyImportKind
{
    /// <summary>Runs when the module (or the function holding it) runs: the distribution must be installed.</summary>
    Runtime,

    /// <summary>Guarded by <c>try/except ImportError</c> or a <c>sys.version_info</c> test.</summary>
    Optional,

    /// <summary>Under <c>if TYPE_CHECKING:</c>: never imported at run time.</summary>
    TypeOnly,
}

/// <summary>
/// One absolute import: <c>import a.b</c> gives Module "a.b"; <c>from a import b, c</c> gives Module "a" with
/// Names b and c (so <c>from google.cloud import storage</c> can be mapped through "google.cloud.storage").
/// </summary>
internal sealed record PyImport(string Module, IReadOnlyList<string> Names, int Line, int Column, PyImportKind Kind)
{
    public string TopLevel => Module.IndexOf('.') < 0 ? Module : Module.Substring(0, Module.IndexOf('.'));
}

/// <summary>A <c>create_engine(...)</c>-like call whose URL comes from DATABASE_URL.</summary>
internal sealed record PyDatabaseUrlCall(string Function, int Line, int Column);

internal sealed class PyFileScan
{
    public List<PyImport> Imports { get; } = new();

    /// <summary>String literals that look like module paths ("uvicorn.workers.UvicornWorker", INSTALLED_APPS entries) and URL drivers.</summary>
    public List<string> ModuleLikeStrings { get; } = new();

    public List<PyDatabaseUrlCall> DatabaseUrlCalls { get; } = new();

    /// <summary>The file spells "postgres://" in a literal: a scheme rewrite (or check) is visible.</summary>
    public bool MentionsPostgresScheme { get; set; }
}

/// <summary>Finds the imports of one Python file from its tokens, with the block (TYPE_CHECKING, try/except ImportError) each sits in.</summary>
internal static class PythonSourceScanner
{
    private static readonly HashSet<string> CompoundKeywords = new(StringComparer.Ordinal)
    {
        "if", "elif", "else", "try", "except", "finally", "with", "for", "while", "def", "class", "async", "match", "case",
    };

    private static readonly HashSet<string> ImportErrorNames = new(StringComparer.Ordinal)
    {
        "ImportError", "ModuleNotFoundError", "Exception", "BaseException",
    };

    private static readonly HashSet<string> EngineFunctions = new(StringComparer.Ordinal)
    {
        "create_engine", "create_async_engine",
    };

    public static PyFileScan Scan(string text)
    {
        var scan = new PyFileScan();
        var lines = PythonTokenizer.Tokenize(text);
        var stack = new List<KeyValuePair<int, PyImportKind>>();
        for (var index = 0; index < lines.Count; index++)
        {
            var logical = lines[index];
            while (stack.Count > 0 && logical.Indent <= stack[stack.Count - 1].Key)
            {
                stack.RemoveAt(stack.Count - 1);
            }

            ProcessStatements(scan, lines, index, 0, stack);
        }

        FindDatabaseUrlCalls(scan, lines);
        foreach (var logical in lines)
        {
            foreach (var token in logical.Tokens)
            {
                if (token.Kind == PyTokenKind.String && token.Value is { } value)
                {
                    if (value.IndexOf("postgres://", StringComparison.Ordinal) >= 0)
                    {
                        scan.MentionsPostgresScheme = true;
                    }

                    AddModuleLikeString(scan, value);
                }
            }
        }

        return scan;
    }

    private static PyImportKind Effective(List<KeyValuePair<int, PyImportKind>> stack)
    {
        var kind = PyImportKind.Runtime;
        foreach (var entry in stack)
        {
            if (entry.Value == PyImportKind.TypeOnly)
            {
                return PyImportKind.TypeOnly;
            }

            if (entry.Value == PyImportKind.Optional)
            {
                kind = PyImportKind.Optional;
            }
        }

        return kind;
    }

    private static void ProcessStatements(PyFileScan scan, List<PyLogicalLine> lines, int index, int start, List<KeyValuePair<int, PyImportKind>> stack)
    {
        var tokens = lines[index].Tokens;
        if (start >= tokens.Count)
        {
            return;
        }

        var first = tokens[start];
        if (first.Kind == PyTokenKind.Name && CompoundKeywords.Contains(first.Text) && !IsSoftKeywordUse(tokens, start))
        {
            var colon = FindTopLevel(tokens, start, ":");
            if (colon < 0)
            {
                return;
            }

            FindDynamicImports(scan, tokens, start, colon, Effective(stack));
            var kind = HeaderKind(lines, index, start, colon);
            stack.Add(new KeyValuePair<int, PyImportKind>(lines[index].Indent, kind));
            if (colon + 1 < tokens.Count)
            {
                ProcessStatements(scan, lines, index, colon + 1, stack);
            }

            return;
        }

        var segmentStart = start;
        while (segmentStart < tokens.Count)
        {
            var end = FindTopLevel(tokens, segmentStart, ";");
            if (end < 0)
            {
                end = tokens.Count;
            }

            ProcessSimple(scan, tokens, segmentStart, end, Effective(stack));
            segmentStart = end + 1;
        }
    }

    /// <summary><c>match</c> and <c>case</c> are soft keywords: <c>match = 1</c> is an assignment.</summary>
    private static bool IsSoftKeywordUse(List<PyToken> tokens, int start)
    {
        var word = tokens[start].Text;
        if (word != "match" && word != "case")
        {
            return false;
        }

        return start + 1 >= tokens.Count || tokens[start + 1].Is("=") || tokens[start + 1].Is(".") || tokens[start + 1].Is(":")
               || tokens[start + 1].Is(",") || tokens[start + 1].Is(")");
    }

    private static int FindTopLevel(List<PyToken> tokens, int start, string op)
    {
        var depth = 0;
        for (var i = start; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind != PyTokenKind.Op)
            {
                continue;
            }

            if (t.Text == "(" || t.Text == "[" || t.Text == "{")
            {
                depth++;
            }
            else if (t.Text == ")" || t.Text == "]" || t.Text == "}")
            {
                depth--;
            }
            else if (depth == 0 && t.Text == op)
            {
                return i;
            }
        }

        return -1;
    }

    private static PyImportKind HeaderKind(List<PyLogicalLine> lines, int index, int start, int colon)
    {
        var tokens = lines[index].Tokens;
        var keyword = tokens[start].Text;
        if (keyword == "if" || keyword == "elif")
        {
            var count = colon - start - 1;
            if ((count == 1 && tokens[start + 1].Text == "TYPE_CHECKING")
                || (count == 3 && tokens[start + 2].Is(".") && tokens[start + 3].Text == "TYPE_CHECKING"))
            {
                return PyImportKind.TypeOnly;
            }

            for (var i = start + 1; i + 2 < colon; i++)
            {
                if (tokens[i].Text == "sys" && tokens[i + 1].Is(".") && tokens[i + 2].Text == "version_info")
                {
                    return PyImportKind.Optional;
                }
            }

            return PyImportKind.Runtime;
        }

        if (keyword == "try" && start == 0)
        {
            return TryCatchesImportError(lines, index) ? PyImportKind.Optional : PyImportKind.Runtime;
        }

        return PyImportKind.Runtime;
    }

    /// <summary>Looks ahead for the except clauses of the try at <paramref name="index"/>.</summary>
    private static bool TryCatchesImportError(List<PyLogicalLine> lines, int index)
    {
        var indent = lines[index].Indent;
        for (var i = index + 1; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Indent > indent)
            {
                continue;
            }

            if (line.Indent < indent)
            {
                return false;
            }

            var first = line.Tokens[0].Text;
            if (first == "except")
            {
                var colon = FindTopLevel(line.Tokens, 0, ":");
                if (colon == 1 || (colon == 2 && line.Tokens[1].Is("*")))
                {
                    return true; // bare except:
                }

                for (var t = 1; t < (colon < 0 ? line.Tokens.Count : colon); t++)
                {
                    if (line.Tokens[t].Kind == PyTokenKind.Name && ImportErrorNames.Contains(line.Tokens[t].Text))
                    {
                        return true;
                    }
                }

                continue;
            }

            return false; // else/finally/the next statement: no (more) except clause
        }

        return false;
    }

    private static void ProcessSimple(PyFileScan scan, List<PyToken> tokens, int start, int end, PyImportKind kind)
    {
        if (start >= end)
        {
            return;
        }

        var first = tokens[start];
        if (first.Kind == PyTokenKind.Name && first.Text == "import")
        {
            var i = start + 1;
            while (i < end)
            {
                var nameToken = tokens[i];
                var dotted = ReadDotted(tokens, ref i, end);
                if (dotted.Length > 0)
                {
                    scan.Imports.Add(new PyImport(dotted, Array.Empty<string>(), nameToken.Line, nameToken.Column, kind));
                }

                if (i < end && tokens[i].Text == "as")
                {
                    i += 2;
                }

                if (i < end && tokens[i].Is(","))
                {
                    i++;
                    continue;
                }

                break;
            }

            return;
        }

        if (first.Kind == PyTokenKind.Name && first.Text == "from")
        {
            var i = start + 1;
            if (i < end && tokens[i].Is("."))
            {
                return; // relative import: the app's own package
            }

            var nameToken = i < end ? tokens[i] : first;
            var module = ReadDotted(tokens, ref i, end);
            if (module.Length == 0 || i >= end || tokens[i].Text != "import")
            {
                return;
            }

            var names = new List<string>();
            for (i++; i < end; i++)
            {
                var t = tokens[i];
                if (t.Kind == PyTokenKind.Name && t.Text != "as" && !(i > 0 && tokens[i - 1].Text == "as"))
                {
                    names.Add(t.Text);
                }
            }

            scan.Imports.Add(new PyImport(module, names, nameToken.Line, nameToken.Column, kind));
            return;
        }

        FindDynamicImports(scan, tokens, start, end, kind);
    }

    private static string ReadDotted(List<PyToken> tokens, ref int i, int end)
    {
        var parts = new List<string>();
        while (i < end && tokens[i].Kind == PyTokenKind.Name)
        {
            parts.Add(tokens[i].Text);
            i++;
            if (i + 1 < end && tokens[i].Is(".") && tokens[i + 1].Kind == PyTokenKind.Name)
            {
                i++;
                continue;
            }

            break;
        }

        return string.Join(".", parts);
    }

    /// <summary><c>__import__("x")</c> and <c>importlib.import_module("x")</c> with a literal, absolute name.</summary>
    private static void FindDynamicImports(PyFileScan scan, List<PyToken> tokens, int start, int end, PyImportKind kind)
    {
        for (var i = start; i + 2 < end; i++)
        {
            var t = tokens[i];
            if (t.Kind == PyTokenKind.Name && (t.Text == "__import__" || t.Text == "import_module")
                && tokens[i + 1].Is("(") && tokens[i + 2].Kind == PyTokenKind.String && tokens[i + 2].Value is { } name
                && (i + 3 >= end || tokens[i + 3].Is(")") || tokens[i + 3].Is(","))
                && IsDottedName(name))
            {
                scan.Imports.Add(new PyImport(name, Array.Empty<string>(), tokens[i + 2].Line, tokens[i + 2].Column + 1, kind));
            }
        }
    }

    internal static bool IsDottedName(string value)
    {
        if (value.Length == 0 || value[0] == '.' || value[value.Length - 1] == '.')
        {
            return false;
        }

        var previousDot = true;
        foreach (var c in value)
        {
            if (c == '.')
            {
                if (previousDot)
                {
                    return false;
                }

                previousDot = true;
                continue;
            }

            if (!(c == '_' || char.IsLetterOrDigit(c)) || (previousDot && char.IsDigit(c)))
            {
                return false;
            }

            previousDot = false;
        }

        return true;
    }

    private static void AddModuleLikeString(PyFileScan scan, string value)
    {
        if (value.Length < 80 && IsDottedName(value))
        {
            scan.ModuleLikeStrings.Add(value);
            return;
        }

        // "postgresql+psycopg://..." names the driver module SQLAlchemy imports.
        var plus = value.IndexOf('+');
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (plus > 0 && scheme > plus)
        {
            var driver = value.Substring(plus + 1, scheme - plus - 1);
            if (IsDottedName(driver))
            {
                scan.ModuleLikeStrings.Add(driver);
            }
        }
    }

    private static void FindDatabaseUrlCalls(PyFileScan scan, List<PyLogicalLine> lines)
    {
        // Names assigned from an expression that reads DATABASE_URL; pydantic-settings fields named database_url read it too.
        var derived = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "database_url" };
        foreach (var line in lines)
        {
            var tokens = line.Tokens;
            var assign = FindTopLevel(tokens, 0, "=");
            if (assign > 0 && tokens[assign - 1].Kind == PyTokenKind.Name && ReadsDatabaseUrl(tokens, assign + 1, tokens.Count, null))
            {
                derived.Add(tokens[assign - 1].Text);
            }
        }

        foreach (var line in lines)
        {
            var tokens = line.Tokens;
            for (var i = 0; i + 1 < tokens.Count; i++)
            {
                var t = tokens[i];
                if (t.Kind != PyTokenKind.Name || !tokens[i + 1].Is("(") || (i > 0 && tokens[i - 1].Text == "def"))
                {
                    continue;
                }

                if (!EngineFunctions.Contains(t.Text))
                {
                    continue;
                }

                // The first argument: up to the top-level comma or the closing parenthesis.
                var depth = 0;
                var end = i + 2;
                for (; end < tokens.Count; end++)
                {
                    var a = tokens[end];
                    if (a.Is("(") || a.Is("[") || a.Is("{"))
                    {
                        depth++;
                    }
                    else if (a.Is(")") || a.Is("]") || a.Is("}"))
                    {
                        if (depth == 0)
                        {
                            break;
                        }

                        depth--;
                    }
                    else if (depth == 0 && a.Is(","))
                    {
                        break;
                    }
                }

                if (ReadsDatabaseUrl(tokens, i + 2, end, derived))
                {
                    scan.DatabaseUrlCalls.Add(new PyDatabaseUrlCall(t.Text, t.Line, t.Column));
                }
            }
        }
    }

    private static bool ReadsDatabaseUrl(List<PyToken> tokens, int start, int end, HashSet<string>? derived)
    {
        for (var i = start; i < end; i++)
        {
            var t = tokens[i];
            if (t.Kind == PyTokenKind.String && t.Value == "DATABASE_URL")
            {
                return true;
            }

            if (derived is not null && t.Kind == PyTokenKind.Name && derived.Contains(t.Text)
                && !(i + 1 < end && tokens[i + 1].Is("(")))
            {
                return true;
            }
        }

        return false;
    }
}
