using System.Collections;
using System.Collections.Generic;

namespace FlyIo.Toml;

/// <summary>A static array (<c>[1, 2]</c>) or an array of tables built from <c>[[name]]</c> headers.</summary>
public sealed class TomlArray : TomlValue, IReadOnlyList<TomlValue>
{
    private readonly List<TomlValue> _items = new();

    internal TomlArray(bool isArrayOfTables, TomlPosition position) : base(position) => IsArrayOfTables = isArrayOfTables;

    public bool IsArrayOfTables { get; }

    public override TomlValueKind Kind => TomlValueKind.Array;

    public int Count => _items.Count;

    public TomlValue this[int index] => _items[index];

    internal void Add(TomlValue value) => _items.Add(value);

    public IEnumerator<TomlValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
