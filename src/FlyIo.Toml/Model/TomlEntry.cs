namespace FlyIo.Toml;

/// <summary>One key of a table with where the key was written and its value.</summary>
public sealed class TomlEntry
{
    internal TomlEntry(string key, TomlPosition keyPosition, TomlValue value)
    {
        Key = key;
        KeyPosition = keyPosition;
        Value = value;
    }

    public string Key { get; }

    public TomlPosition KeyPosition { get; }

    /// <summary>Settable inside the parser only: an implicit table is replaced when a header later defines it.</summary>
    public TomlValue Value { get; internal set; }

    public override string ToString() => Key + " = " + Value;
}
