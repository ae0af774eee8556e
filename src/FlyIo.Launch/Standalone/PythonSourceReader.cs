using System;
using System.Collections.Generic;
using System.Text;
using FlyIo.Dependencies.Python;

namespace FlyIo.Launch.Standalone;

/// <summary>
/// Reads one Python file's tokens for what FlyLaunch needs: framework imports, health-named GET routes
/// (<c>@app.get</c>, <c>@app.route</c>, <c>@router.api_route</c>, Django <c>path</c>/<c>re_path</c>), reads of the
/// PORT environment variable with their fallbacks, and <c>.run(..., port=N)</c>. Tokens, not text, so comments and
/// strings never match.
/// </summary>
internal static class PythonSourceReader
{
    private static readonly Dictionary<string, string> FrameworkModules = new(StringComparer.Ordinal)
    {
        ["fastapi"] = StandaloneFrameworks.FastApi,
        ["flask"] = StandaloneFrameworks.Flask,
        ["django"] = StandaloneFrameworks.Django,
    };

    /// <summary>Decorators that map a route: <c>get</c> is GET; <c>route</c> and <c>api_route</c> are GET unless methods= says otherwise.</summary>
    private static readonly HashSet<string> RouteDecorators = new(StringComparer.Ordinal) { "get", "route", "api_route" };

    private static readonly HashSet<string> DjangoRouteFunctions = new(StringComparer.Ordinal) { "path", "re_path", "url" };

    public static void Read(string file, string text, AppSourceFacts facts)
    {
        var lines = PythonTokenizer.Tokenize(text);
        var importsDjangoUrls = false;
        foreach (var line in lines)
        {
            importsDjangoUrls |= ReadImports(line.Tokens, facts);
        }

        foreach (var line in lines)
        {
            var tokens = line.Tokens;
            if (tokens[0].Is("@"))
            {
                ReadDecorator(file, tokens, facts);
            }

            for (var k = 0; k < tokens.Count; k++)
            {
                ReadPortVariable(file, tokens, k, facts);
                ReadRunPort(file, tokens, k, facts);
                if (importsDjangoUrls)
                {
                    ReadDjangoRoute(file, tokens, k, facts);
                }
            }
        }
    }

    /// <summary>Notes framework imports; true when the line imports Django's URL functions.</summary>
    private static bool ReadImports(List<PyToken> tokens, AppSourceFacts facts)
    {
        if (tokens[0].Is("from") && tokens.Count > 1 && tokens[1].Kind == PyTokenKind.Name)
        {
            Note(tokens[1].Text, facts);
            var module = DottedName(tokens, 1, out _);
            return module is "django.urls" or "django.conf.urls";
        }

        if (tokens[0].Is("import"))
        {
            for (var i = 1; i < tokens.Count; i++)
            {
                if (tokens[i].Kind == PyTokenKind.Name && (tokens[i - 1].Is("import") || tokens[i - 1].Is(",")))
                {
                    Note(tokens[i].Text, facts);
                }
            }
        }

        return false;
    }

    private static void Note(string module, AppSourceFacts facts)
    {
        if (FrameworkModules.TryGetValue(module, out var framework))
        {
            facts.AddFramework(framework);
        }
    }

    /// <summary><c>@receiver.get("/healthz")</c>, <c>@bp.route("/health", methods=["GET"])</c>.</summary>
    private static void ReadDecorator(string file, List<PyToken> tokens, AppSourceFacts facts)
    {
        var name = DottedName(tokens, 1, out var next);
        var dot = name.LastIndexOf('.');
        if (dot < 0 || !RouteDecorators.Contains(name.Substring(dot + 1)) || At(tokens, next) is not { } open || !open.Is("(")
            || At(tokens, next + 1) is not { Kind: PyTokenKind.String, Value: { } route } routeToken)
        {
            return;
        }

        if (name.Substring(dot + 1) != "get" && !AllowsGet(tokens, next))
        {
            return;
        }

        facts.AddHealthRoute(route, new SourceFinding(file, tokens[0].Line, tokens[0].Column, $"@{name}({routeToken.Text})"));
    }

    /// <summary>True when the call opened at <paramref name="open"/> has no methods= argument, or a literal list naming GET.</summary>
    private static bool AllowsGet(List<PyToken> tokens, int open)
    {
        var close = ClosingBracket(tokens, open);
        for (var i = open + 1; i < close; i++)
        {
            if (!tokens[i].Is("methods") || At(tokens, i + 1) is not { } eq || !eq.Is("="))
            {
                continue;
            }

            var end = At(tokens, i + 2) is { } list && (list.Is("[") || list.Is("(") || list.Is("{")) ? ClosingBracket(tokens, i + 2) : i + 2;
            for (var j = i + 3; j < end; j++)
            {
                if (tokens[j].Kind == PyTokenKind.String && string.Equals(tokens[j].Value, "GET", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        return true;
    }

    /// <summary><c>os.environ.get("PORT", 8000)</c>, <c>os.getenv("PORT", "8000")</c>, <c>os.environ["PORT"]</c>.</summary>
    private static void ReadPortVariable(string file, List<PyToken> tokens, int k, AppSourceFacts facts)
    {
        int nameAt;
        if (tokens[k].Is("environ") && Is(tokens, k + 1, ".") && Is(tokens, k + 2, "get") && Is(tokens, k + 3, "("))
        {
            nameAt = k + 4;
        }
        else if (tokens[k].Is("getenv") && Is(tokens, k + 1, "("))
        {
            nameAt = k + 2;
        }
        else if (tokens[k].Is("environ") && Is(tokens, k + 1, "["))
        {
            nameAt = k + 2;
        }
        else
        {
            return;
        }

        if (At(tokens, nameAt) is not { Kind: PyTokenKind.String, Value: "PORT" } || (k > 0 && tokens[k - 1].Is(".") && !(k > 1 && tokens[k - 2].Is("os"))))
        {
            return;
        }

        facts.ReadsPortVariable = true;
        var fallbackAt = nameAt + 2;
        if (!Is(tokens, nameAt + 1, ","))
        {
            return;
        }

        if (Is(tokens, fallbackAt, "default") && Is(tokens, fallbackAt + 1, "="))
        {
            fallbackAt += 2;
        }

        if (PortValue(At(tokens, fallbackAt)) is { } port && At(tokens, fallbackAt + 1) is { } after && after.Is(")"))
        {
            var start = k >= 2 && tokens[k - 2].Is("os") && tokens[k - 1].Is(".") ? k - 2 : k;
            facts.OfferPort(port, new SourceFinding(file, tokens[start].Line, tokens[start].Column, Render(tokens, start, fallbackAt + 1)));
        }
    }

    /// <summary><c>app.run(port=5000)</c>, <c>uvicorn.run(app, host="0.0.0.0", port=8000)</c>.</summary>
    private static void ReadRunPort(string file, List<PyToken> tokens, int k, AppSourceFacts facts)
    {
        if (!tokens[k].Is("run") || k < 2 || !tokens[k - 1].Is(".") || tokens[k - 2].Kind != PyTokenKind.Name || !Is(tokens, k + 1, "("))
        {
            return;
        }

        var close = ClosingBracket(tokens, k + 1);
        var depth = 0;
        for (var i = k + 2; i < close; i++)
        {
            depth += tokens[i].Is("(") || tokens[i].Is("[") || tokens[i].Is("{") ? 1 : tokens[i].Is(")") || tokens[i].Is("]") || tokens[i].Is("}") ? -1 : 0;
            if (depth == 0 && tokens[i].Is("port") && Is(tokens, i + 1, "=") && PortValue(At(tokens, i + 2)) is { } port
                && (i + 3 == close || Is(tokens, i + 3, ",")))
            {
                var receiver = tokens[k - 2];
                var gap = i == k + 2 ? string.Empty : "..., ";
                facts.OfferPort(port, new SourceFinding(file, receiver.Line, receiver.Column, $"{receiver.Text}.run({gap}port={tokens[i + 2].Text})"));
                return;
            }
        }
    }

    /// <summary>Django: <c>path("healthz/", view)</c>, <c>re_path(r"^healthz/$", view)</c> → <c>/healthz/</c>.</summary>
    private static void ReadDjangoRoute(string file, List<PyToken> tokens, int k, AppSourceFacts facts)
    {
        if (tokens[k].Kind != PyTokenKind.Name || !DjangoRouteFunctions.Contains(tokens[k].Text) || (k > 0 && tokens[k - 1].Is("."))
            || !Is(tokens, k + 1, "(") || At(tokens, k + 2) is not { Kind: PyTokenKind.String, Value: { } pattern } patternToken)
        {
            return;
        }

        var route = tokens[k].Text == "path" ? pattern : pattern.TrimStart('^').TrimEnd('$');
        facts.AddHealthRoute("/" + route.TrimStart('/'), new SourceFinding(file, tokens[k].Line, tokens[k].Column, $"{tokens[k].Text}({patternToken.Text}, ...)"));
    }

    private static int? PortValue(PyToken? token) =>
        token is { Kind: PyTokenKind.Number } number && PortLiterals.TryParse(number.Text, out var port) ? port
        : token is { Kind: PyTokenKind.String, Value: { } text } && PortLiterals.TryParse(text, out port) ? port
        : null;

    /// <summary>A dotted name starting at <paramref name="start"/> (<c>app.get</c>); <paramref name="next"/> is the index after it.</summary>
    private static string DottedName(List<PyToken> tokens, int start, out int next)
    {
        var name = new StringBuilder();
        next = start;
        while (next < tokens.Count && tokens[next].Kind == PyTokenKind.Name)
        {
            name.Append(tokens[next].Text);
            next++;
            if (!Is(tokens, next, ".") || At(tokens, next + 1) is not { Kind: PyTokenKind.Name })
            {
                break;
            }

            name.Append('.');
            next++;
        }

        return name.ToString();
    }

    private static int ClosingBracket(List<PyToken> tokens, int open)
    {
        var depth = 0;
        for (var i = open; i < tokens.Count; i++)
        {
            if (tokens[i].Is("(") || tokens[i].Is("[") || tokens[i].Is("{"))
            {
                depth++;
            }
            else if ((tokens[i].Is(")") || tokens[i].Is("]") || tokens[i].Is("}")) && --depth == 0)
            {
                return i;
            }
        }

        return tokens.Count;
    }

    /// <summary>Tokens joined as code is usually written: no spaces but after commas.</summary>
    private static string Render(List<PyToken> tokens, int from, int to)
    {
        var text = new StringBuilder();
        for (var i = from; i <= to && i < tokens.Count; i++)
        {
            text.Append(tokens[i].Text);
            if (tokens[i].Is(","))
            {
                text.Append(' ');
            }
        }

        return text.ToString();
    }

    private static PyToken? At(List<PyToken> tokens, int index) => index >= 0 && index < tokens.Count ? tokens[index] : null;

    private static bool Is(List<PyToken> tokens, int index, string text) => At(tokens, index) is { } token && token.Is(text);
}
