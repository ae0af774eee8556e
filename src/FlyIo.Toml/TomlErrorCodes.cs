namespace FlyIo.Toml;

/// <summary>The stable codes a <see cref="TomlParseException"/> carries; each has a page under docs/diagnostics/.</summary>
public static class TomlErrorCodes
{
    public const string InvalidEncoding = "FLY0001";
    public const string Syntax = "FLY0002";
    public const string InvalidString = "FLY0003";
    public const string InvalidNumber = "FLY0004";
    public const string InvalidDateTime = "FLY0005";
    public const string DuplicateKey = "FLY0006";
    public const string TableConflict = "FLY0007";
    public const string NestingTooDeep = "FLY0008";
    /// <summary>The path is not a file that can be read: missing, a directory, a FIFO or device, or unreadable.</summary>
    public const string NotAFile = "FLY0009";
    /// <summary>The file is larger than a fly.toml may be (<see cref="TomlFiles.MaxBytes"/>).</summary>
    public const string FileTooLarge = "FLY0010";
}
