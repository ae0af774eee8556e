using System;
using System.Collections.Generic;
using FlyIo.Dependencies.Node;
using Kind = FlyIo.Dependencies.Node.JsImportScanner.Kind;
using Token = FlyIo.Dependencies.Node.JsImportScanner.Token;

namespace FlyIo.Launch.Standalone;

/// <summary>
/// Reads one JavaScript/TypeScript file's tokens for what FlyLaunch needs: express/fastify imports, health-named GET
/// routes (<c>app.get("/healthz", handler)</c>), <c>process.env.PORT</c> reads with their <c>||</c>/<c>??</c> fallbacks,
/// and literal ports given to <c>listen</c>. Tokens, not text, so comments, strings and templates never match.
/// </summary>
internal static class NodeSourceReader
{
    private static readonly Dictionary<string, string> FrameworkPackages = new(StringComparer.Ordinal)
    {
        ["express"] = StandaloneFrameworks.Express,
        ["fastify"] = StandaloneFrameworks.Fastify,
    };

    /// <summary>Reads <paramref name="text"/>; returns the relative modules it imports (<c>./routes</c>), which are app code too.</summary>
    public static List<string> Read(string file, string text, AppSourceFacts facts)
    {
        var localImports = new List<string>();
        foreach (var import in JsImportScanner.Scan(text))
        {
            if (import.TypeOnly)
            {
                continue;
            }

            if (import.Specifier.StartsWith(".", StringComparison.Ordinal))
            {
                localImports.Add(import.Specifier);
            }
            else if (FrameworkPackages.TryGetValue(import.Specifier, out var framework))
            {
                facts.AddFramework(framework);
            }
        }

        var tokens = JsImportScanner.Tokenize(text);
        for (var k = 0; k < tokens.Count; k++)
        {
            ReadRoute(file, tokens, k, facts);
            ReadPortVariable(file, tokens, k, facts);
            ReadListenPort(file, tokens, k, facts);
        }

        return localImports;
    }

    /// <summary><c>receiver.get("/healthz", handler)</c>: a literal path and a handler after it, so <c>map.get("/x")</c> is not a route.</summary>
    private static void ReadRoute(string file, List<Token> tokens, int k, AppSourceFacts facts)
    {
        if (tokens[k].Kind != Kind.Ident || !IsPunct(tokens, k + 1, ".") || !IsIdent(tokens, k + 2, "get") || !IsPunct(tokens, k + 3, "(")
            || At(tokens, k + 4) is not { Kind: Kind.String } route || !IsPunct(tokens, k + 5, ",")
            || (k > 0 && IsPunct(tokens, k - 1, ".")))
        {
            return;
        }

        facts.AddHealthRoute(route.Text, new SourceFinding(file, tokens[k].Line, tokens[k].Column, $"{tokens[k].Text}.get(\"{route.Text}\", ...)"));
    }

    /// <summary><c>process.env.PORT</c> or <c>process.env["PORT"]</c>, then a fallback: <c>|| 3000</c>, <c>?? 3000</c>, also after <c>Number(...)</c>/<c>parseInt(..., 10)</c>.</summary>
    private static void ReadPortVariable(string file, List<Token> tokens, int k, AppSourceFacts facts)
    {
        if (!IsIdent(tokens, k, "process") || !IsPunct(tokens, k + 1, ".") || !IsIdent(tokens, k + 2, "env"))
        {
            return;
        }

        int end;
        if (IsPunct(tokens, k + 3, ".") && IsIdent(tokens, k + 4, "PORT"))
        {
            end = k + 4;
        }
        else if (IsPunct(tokens, k + 3, "[") && At(tokens, k + 4) is { Kind: Kind.String, Text: "PORT" } && IsPunct(tokens, k + 5, "]"))
        {
            end = k + 5;
        }
        else
        {
            return;
        }

        facts.ReadsPortVariable = true;
        var i = end + 1;
        if (IsPunct(tokens, i, ",") && At(tokens, i + 1) is { Kind: Kind.Number } && IsPunct(tokens, i + 2, ")"))
        {
            i += 2; // parseInt(process.env.PORT, 10)
        }

        while (IsPunct(tokens, i, ")"))
        {
            i++;
        }

        var op = At(tokens, i);
        var isFallback = (IsPunct(tokens, i, "|") && IsPunct(tokens, i + 1, "|")) || (IsPunct(tokens, i, "?") && IsPunct(tokens, i + 1, "?"));
        if (op is { } at && isFallback && PortValue(At(tokens, i + 2)) is { } port)
        {
            var name = end == k + 4 ? "process.env.PORT" : "process.env[\"PORT\"]";
            facts.OfferPort(port, new SourceFinding(file, at.Line, at.Column, $"{name} {at.Text}{at.Text} {tokens[i + 2].Text}"));
        }
    }

    /// <summary><c>app.listen(3000)</c> and <c>fastify.listen({ port: 3000 })</c>.</summary>
    private static void ReadListenPort(string file, List<Token> tokens, int k, AppSourceFacts facts)
    {
        if (tokens[k].Kind != Kind.Ident || !IsPunct(tokens, k + 1, ".") || !IsIdent(tokens, k + 2, "listen") || !IsPunct(tokens, k + 3, "("))
        {
            return;
        }

        var receiver = tokens[k];
        if (PortValue(At(tokens, k + 4)) is { } direct && (IsPunct(tokens, k + 5, ")") || IsPunct(tokens, k + 5, ",")))
        {
            facts.OfferPort(direct, new SourceFinding(file, receiver.Line, receiver.Column, $"{receiver.Text}.listen({tokens[k + 4].Text})"));
            return;
        }

        if (!IsPunct(tokens, k + 4, "{"))
        {
            return;
        }

        var depth = 0;
        for (var i = k + 4; i < tokens.Count; i++)
        {
            depth += IsPunct(tokens, i, "{") || IsPunct(tokens, i, "(") || IsPunct(tokens, i, "[") ? 1
                : IsPunct(tokens, i, "}") || IsPunct(tokens, i, ")") || IsPunct(tokens, i, "]") ? -1 : 0;
            if (depth == 0)
            {
                return;
            }

            if (depth == 1 && IsIdent(tokens, i, "port") && IsPunct(tokens, i + 1, ":") && PortValue(At(tokens, i + 2)) is { } port
                && (IsPunct(tokens, i + 3, ",") || IsPunct(tokens, i + 3, "}")))
            {
                facts.OfferPort(port, new SourceFinding(file, receiver.Line, receiver.Column, $"{receiver.Text}.listen({{ port: {tokens[i + 2].Text} }})"));
                return;
            }
        }
    }

    private static int? PortValue(Token? token) =>
        token is { Kind: Kind.Number or Kind.String } value && PortLiterals.TryParse(value.Text, out var port) ? port : null;

    private static Token? At(List<Token> tokens, int index) => index >= 0 && index < tokens.Count ? tokens[index] : null;

    private static bool IsPunct(List<Token> tokens, int index, string text) => At(tokens, index) is { } token && token.IsPunct(text);

    private static bool IsIdent(List<Token> tokens, int index, string text) => At(tokens, index) is { } token && token.IsIdent(text);
}
