namespace FlyIo.Toml.Lexing;

internal static class CharClass
{
    public static bool IsWhitespace(char c) => c == ' ' || c == '\t';

    public static bool IsBareKey(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';

    /// <summary>Characters a number, boolean or date-time can be made of; the value parsers judge the form.</summary>
    public static bool IsScalar(char c) => IsBareKey(c) || c == '+' || c == '.' || c == ':';

    public static bool IsDigit(char c) => c >= '0' && c <= '9';

    public static bool IsHexDigit(char c) => IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

    /// <summary>Control characters TOML forbids in comments and strings (tab is allowed everywhere).</summary>
    public static bool IsForbiddenControl(char c) => (c < 0x20 && c != '\t') || c == 0x7F;
}
