namespace FlyIo.Toml;

/// <summary>How a table came into being; the TOML redefinition rules depend on it.</summary>
public enum TomlTableOrigin
{
    Root,
    Header,
    ArrayOfTablesElement,
    /// <summary>Created as an intermediate of a <c>[a.b.c]</c> header and not (yet) defined itself.</summary>
    Implicit,
    DottedKey,
    Inline,
}
