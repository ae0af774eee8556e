using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace FlyIo.Toml;

/// <summary>An insertion-ordered table. Its position is its header's <c>[</c>, its key, or the document start.</summary>
public sealed class TomlTable : TomlValue, IEnumerable<TomlEntry>
{
    private readonly List<TomlEntry> _entries;
    private readonly Dictionary<string, TomlEntry> _index;

    internal TomlTable(TomlTableOrigin origin, TomlPosition position) : base(position)
    {
        Origin = origin;
        _entries = new List<TomlEntry>();
        _index = new Dictionary<string, TomlEntry>(System.StringComparer.Ordinal);
    }

    private TomlTable(TomlTable source, TomlTableOrigin origin, TomlPosition position) : base(position)
    {
        Origin = origin;
        _entries = source._entries;
        _index = source._index;
        IsSealed = source.IsSealed;
    }

    public IReadOnlyList<TomlEntry> Entries => _entries;

    public int Count => _entries.Count;

    public TomlTableOrigin Origin { get; }

    public override TomlValueKind Kind => TomlValueKind.Table;

    /// <summary>Inline tables (and everything inside them) can never be extended.</summary>
    internal bool IsSealed { get; set; }

    public bool TryGetValue(string key, [NotNullWhen(true)] out TomlValue? value)
    {
        if (_index.TryGetValue(key, out var entry))
        {
            value = entry.Value;
            return true;
        }

        value = null;
        return false;
    }

    public TomlEntry? GetEntry(string key) => _index.TryGetValue(key, out var entry) ? entry : null;

    internal void Add(TomlEntry entry)
    {
        _index.Add(entry.Key, entry);
        _entries.Add(entry);
    }

    /// <summary>The same contents under a new origin and position, for an implicit table that a header now defines.</summary>
    internal TomlTable Redefine(TomlTableOrigin origin, TomlPosition position) => new(this, origin, position);

    public IEnumerator<TomlEntry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
