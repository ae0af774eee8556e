namespace FlyIo.FlyToml.Project;

internal enum CSharpTokenKind
{
    Identifier,
    /// <summary>A string literal whose value is known (not interpolated).</summary>
    String,
    /// <summary>An interpolated string; its value depends on run time.</summary>
    InterpolatedString,
    Punctuation,
}

/// <summary>A token of C# source as far as route discovery needs: identifiers, string values, punctuation.</summary>
internal sealed record CSharpToken(CSharpTokenKind Kind, string Text, int Line);
