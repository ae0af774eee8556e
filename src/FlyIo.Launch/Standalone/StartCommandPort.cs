using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace FlyIo.Launch.Standalone;

/// <summary>
/// The port a Python or Node server is told on its command line: <c>uvicorn --port N</c>, <c>gunicorn -b HOST:N</c>,
/// <c>hypercorn --bind HOST:N</c>, <c>flask run -p N</c>, <c>manage.py runserver [HOST:]N</c>, <c>fastify start -p N</c>.
/// A value written as <c>${PORT:-N}</c> counts as N, the port the server gets when nothing sets PORT.
/// </summary>
internal static class StartCommandPort
{
    private static readonly Regex VariableWithDefault = new(@"^\$\{[A-Za-z_][A-Za-z0-9_]*:?-(\d+)\}$", RegexOptions.CultureInvariant);

    private static readonly Regex RunserverAddress = new(@"^(?:.*:)?(\d+)$", RegexOptions.CultureInvariant);

    public static PortFinding? Find(IReadOnlyList<ServerInvocation> invocations)
    {
        foreach (var invocation in invocations)
        {
            var args = invocation.Args;
            (int Index, string Value, string Shown)? option = invocation.Program switch
            {
                "uvicorn" => Option(args, "--port", null),
                "gunicorn" or "hypercorn" => Option(args, "--bind", "-b"),
                "flask" when Has(args, "run") => Option(args, "--port", "-p"),
                "fastify" when Has(args, "start") => Option(args, "--port", "-p"),
                "manage.py" => Runserver(args),
                _ => null,
            };

            if (option is not { } found)
            {
                continue;
            }

            var value = invocation.Program is "gunicorn" or "hypercorn" ? AfterLastColon(found.Value) : found.Value;
            if (Port(value) is { } port)
            {
                var word = args[found.Index];
                var gap = found.Index > 0 ? " ..." : string.Empty;
                return new PortFinding(port, $"{word.Origin} {invocation.Program}{gap} {found.Shown}");
            }
        }

        return null;
    }

    /// <summary>True when gunicorn runs without a bind: it then listens on 0.0.0.0:$PORT when PORT is set.</summary>
    public static bool GunicornTakesPortVariable(IReadOnlyList<ServerInvocation> invocations)
    {
        foreach (var invocation in invocations)
        {
            if (invocation.Program == "gunicorn" && Option(invocation.Args, "--bind", "-b") is null)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Has(IReadOnlyList<CommandWord> args, string word)
    {
        foreach (var arg in args)
        {
            if (arg.Text == word)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>--long V</c>, <c>--long=V</c>, <c>-s V</c> or <c>-sV</c>: the index of the option word, the value, and the text as written.</summary>
    private static (int Index, string Value, string Shown)? Option(IReadOnlyList<CommandWord> args, string longName, string? shortName)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var text = args[i].Text;
            var named = text == longName || (shortName is not null && text == shortName);
            if (named && i + 1 < args.Count)
            {
                return (i, args[i + 1].Text, text + " " + args[i + 1].Text);
            }

            if (text.StartsWith(longName + "=", StringComparison.Ordinal))
            {
                return (i, text.Substring(longName.Length + 1), text);
            }

            if (shortName is not null && text.Length > shortName.Length && text.StartsWith(shortName, StringComparison.Ordinal)
                && !text.StartsWith("--", StringComparison.Ordinal))
            {
                return (i, text.Substring(shortName.Length), text);
            }
        }

        return null;
    }

    /// <summary><c>runserver [HOST:]PORT</c>: the first argument after runserver that is not an option.</summary>
    private static (int Index, string Value, string Shown)? Runserver(IReadOnlyList<CommandWord> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].Text != "runserver")
            {
                continue;
            }

            for (var j = i + 1; j < args.Count; j++)
            {
                if (!args[j].Text.StartsWith("-", StringComparison.Ordinal))
                {
                    var match = RunserverAddress.Match(args[j].Text);
                    return match.Success ? (i, match.Groups[1].Value, "runserver " + args[j].Text) : null;
                }
            }

            return null;
        }

        return null;
    }

    private static string AfterLastColon(string bind)
    {
        if (bind.StartsWith("unix:", StringComparison.Ordinal) || bind.StartsWith("fd://", StringComparison.Ordinal))
        {
            return string.Empty;
        }

        // ${PORT:-8000} holds a colon of its own: split before the variable.
        var dollar = bind.IndexOf('$');
        var colon = dollar > 0 ? bind.LastIndexOf(':', dollar - 1) : bind.LastIndexOf(':');
        return colon >= 0 ? bind.Substring(colon + 1) : bind;
    }

    private static int? Port(string value)
    {
        if (PortLiterals.TryParse(value, out var port))
        {
            return port;
        }

        var match = VariableWithDefault.Match(value);
        return match.Success && PortLiterals.TryParse(match.Groups[1].Value, out port) ? port : null;
    }
}
