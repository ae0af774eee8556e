namespace FlyIo.Toml.Lexing;

/// <summary>The character classes the TOML 1.0 checks and the date-time reader need (Tomlyn lexes everything else).</summary>
internal static class CharClass
{
    /// <summary>TOML 1.0 bare-key characters; Tomlyn's lexer accepts a wider set.</summary>
    public static bool IsBareKey(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';

    public static bool IsDigit(char c) => c >= '0' && c <= '9';
}
