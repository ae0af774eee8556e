using System;
using System.Collections;
using System.Linq;

namespace FlyIo.Machines;

/// <summary>
/// A Fly API token. It is read from the environment only (FLY_API_TOKEN, FLY_ACCESS_TOKEN, or a variable the user
/// names), never from an MSBuild property, so it cannot land in a log, a binary log or a command line. ToString()
/// never shows it.
/// </summary>
public sealed class FlyToken
{
    /// <summary>The variables read, in order, when the user names none.</summary>
    public static readonly string[] DefaultVariables = { "FLY_API_TOKEN", "FLY_ACCESS_TOKEN" };

    private static readonly string[] MacaroonPrefixes = { "fm1r_", "fm1a_", "fm2_" };

    private readonly string _value;

    private FlyToken(string value, string source)
    {
        _value = value;
        Source = source;
    }

    /// <summary>The name of the environment variable the token came from (safe to log).</summary>
    public string Source { get; }

    /// <summary>The token from the named variable, or from the default ones; null when none is set.</summary>
    public static FlyToken? FromEnvironment(string? variableName = null, IDictionary? environment = null)
    {
        var names = string.IsNullOrWhiteSpace(variableName) ? DefaultVariables : new[] { variableName!.Trim() };
        foreach (var name in names)
        {
            var value = environment is null ? Environment.GetEnvironmentVariable(name) : environment[name] as string;
            if (!string.IsNullOrWhiteSpace(value))
            {
                return new FlyToken(Checked(value!.Trim(), name), name);
            }
        }

        return null;
    }

    /// <summary>For tests and tools that hold a token already.</summary>
    public static FlyToken FromValue(string value, string source = "(given)") => new(Checked(value.Trim(), source), source);

    /// <summary>
    /// A token with a control character inside (a line break, pasted from a file) would add request headers of its own
    /// (header injection): refused, saying where, never what.
    /// </summary>
    private static string Checked(string value, string source)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsControl(value[i]))
            {
                throw new InvalidFlyTokenException(source, i, value[i]);
            }
        }

        return value;
    }

    /// <summary>
    /// The Authorization header value: macaroons (fm1r_, fm1a_, fm2_) as <c>FlyV1 tok1,tok2</c>, anything else as
    /// <c>Bearer tok</c>; a leading "FlyV1 " or "Bearer " the user copied along is stripped first.
    /// </summary>
    public string AuthorizationHeader()
    {
        var bare = WithoutScheme(_value);
        var isMacaroon = bare.Split(',').Select(t => t.Trim()).Any(t => MacaroonPrefixes.Any(p => t.StartsWith(p, StringComparison.Ordinal)));
        return (isMacaroon ? "FlyV1 " : "Bearer ") + bare;
    }

    /// <summary>
    /// The Authorization header api.fly.io's REST endpoints get from flyctl (internal/uiex): <c>Bearer tok</c> for every
    /// kind of token, macaroons included (comma-separated, as <c>fly tokens</c> prints them), with no "FlyV1" scheme.
    /// </summary>
    public string BearerHeader() => "Bearer " + WithoutScheme(_value);

    /// <summary>The registry password: the token without a "FlyV1 " prefix (registry.fly.io's basic auth, user "x").</summary>
    public string RegistryPassword() => WithoutScheme(_value);

    /// <summary>True when <paramref name="text"/> contains the token (or its bare form): for redaction checks.</summary>
    public bool AppearsIn(string text) => text.IndexOf(WithoutScheme(_value), StringComparison.Ordinal) >= 0;

    /// <summary><paramref name="text"/> with the token (or its bare form) blanked out: the last guard before a line is shown.</summary>
    public string Redact(string text) => AppearsIn(text) ? text.Replace(WithoutScheme(_value), "***") : text;

    public override string ToString() => $"Fly token from {Source}";

    private static string WithoutScheme(string token)
    {
        foreach (var scheme in new[] { "FlyV1 ", "Bearer " })
        {
            if (token.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return token.Substring(scheme.Length).Trim();
            }
        }

        return token;
    }
}

/// <summary>The token holds a control character. The message names the variable and the position, never the token.</summary>
public sealed class InvalidFlyTokenException : Exception
{
    public InvalidFlyTokenException(string source, int position, char character)
        : base($"The Fly token in {source} contains a control character (U+{(int)character:X4}{(character is '\n' or '\r' ? ", a line break" : "")}) at position {position + 1}: " +
               "a token is one line. Copy it again without the line break (e.g. `export FLY_API_TOKEN=\"$(fly tokens create deploy | tr -d '\\n')\"`).")
    {
        Variable = source;
    }

    /// <summary>Where the token came from (a variable name).</summary>
    public string Variable { get; }
}
