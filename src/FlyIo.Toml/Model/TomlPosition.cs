namespace FlyIo.Toml;

/// <summary>A 1-based line and column (columns count UTF-16 code units) plus the 0-based character offset.</summary>
public readonly record struct TomlPosition(int Line, int Column, int Offset)
{
    public override string ToString() => $"({Line},{Column})";
}
