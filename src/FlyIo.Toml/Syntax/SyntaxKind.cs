namespace FlyIo.Toml.Syntax;

public enum SyntaxKind
{
    Whitespace,
    Comment,
    Newline,
    BareKey,
    BasicString,
    LiteralString,
    MultilineBasicString,
    MultilineLiteralString,
    Integer,
    Float,
    Boolean,
    DateTime,
    Dot,
    Equals,
    Comma,
    OpenBracket,
    CloseBracket,
    DoubleOpenBracket,
    DoubleCloseBracket,
    OpenBrace,
    CloseBrace,
}
